/** The engine's name and the column types its migrations write differently; each StorageEngine carries its own. */
export interface DialectTraits {
  engine: 'sqlite' | 'postgres';
  /** Column type of an auto-incrementing 64-bit primary key. */
  autoIncrementKey: 'integer' | 'bigserial';
  /** Column type of a 64-bit integer (epoch milliseconds, counters). */
  bigInteger: 'integer' | 'bigint';
}
