/**
 * The agent's main loop: heartbeat (UpdateInstanceInformation), inventory (PutInventory) on start and
 * daily, command polling, and delivery of the report spool, each on its own timer with exponential
 * backoff and full jitter on hub errors. Idle, the process only holds a few timers.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fullJitterDelay, type BackoffPolicy } from './backoff.js';
import { collectHostFacts, heartbeatFacts } from './host-facts.js';
import { HubError, isCredentialError, type HubClient } from './hub-client.js';
import { writeFileAtomic } from './identity-store.js';
import { collectInventory, type InventoryItem } from './inventory-collector.js';
import type { DeliveryOutcome, ReportSpool, SpooledReport } from './report-spool.js';

/** Runs pending commands from the hub: provided by src/agent/commands/. */
export interface CommandSource {
  pollAndRun(signal: AbortSignal): Promise<void>;
}

/** Where the agent logs (journald picks up stderr under systemd). */
export interface AgentLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger writing `level message` lines to stderr. */
export function stderrLogger(): AgentLogger {
  const line = (level: string) => (message: string) => {
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
  };
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/** Intervals and limits of the loop. */
export interface AgentLoopSettings {
  heartbeatMs: number;
  inventoryMs: number;
  commandPollMs: number;
  backoff: BackoffPolicy;
  /**
   * How long the hub may refuse the instance's key (a key not yet known to every hub node) before the agent
   * takes it as deregistered and stops.
   */
  credentialGraceMs: number;
}

export const defaultAgentLoopSettings: AgentLoopSettings = {
  heartbeatMs: 5 * 60_000,
  inventoryMs: 24 * 60 * 60_000,
  commandPollMs: 30_000,
  backoff: { baseMs: 1_000, capMs: 5 * 60_000 },
  credentialGraceMs: 10 * 60_000,
};

/** The agent stopped for good: the hub no longer accepts this instance (deregistered, key retired). */
export class AgentStopped extends Error {
  override readonly name = 'AgentStopped';
}

/** The exit status of an agent that stopped for good (EX_CONFIG; the systemd unit does not restart on it). */
export const agentStoppedExitCode = 78;

/** What the loop works with. */
export interface AgentLoopDependencies {
  client: HubClient;
  spool: ReportSpool;
  stateDir: string;
  logger: AgentLogger;
  settings: AgentLoopSettings;
  commands?: CommandSource | undefined;
  /** Inventory source (tests replace it). */
  collectInventory?: () => Promise<InventoryItem[]>;
  random?: () => number;
}

/**
 * Errors that may heal by themselves (hub down, overloaded, clock skew; a refused key within the grace
 * period, since a new key reaches every hub node only within seconds).
 */
function isTransient(error: unknown): boolean {
  if (!(error instanceof HubError)) return true; // local trouble (disk, spawn): try again later
  return error.retryable || /Signature/.test(error.code) || isCredentialError(error);
}

interface Task {
  name: string;
  intervalMs: number;
  run: (signal: AbortSignal) => Promise<void>;
  failures: number;
  timer?: NodeJS.Timeout | undefined;
  running?: Promise<void> | undefined;
}

const INVENTORY_STATE_FILE = 'inventory-state.json';

/** The running agent. */
export class AgentLoop {
  private readonly tasks = new Map<string, Task>();
  private readonly controller = new AbortController();
  private stopped = false;
  /** TypeName → ContentHash the hub last acknowledged, so unchanged content goes hash-only. */
  private acknowledgedHashes = new Map<string, string>();
  private readonly startedAt = Date.now();
  private finish: (reason: AgentStopped | undefined) => void = () => undefined;
  /** Settles when the loop stopped: with AgentStopped when it stopped by itself, undefined after stop(). */
  readonly finished: Promise<AgentStopped | undefined> = new Promise((resolve) => {
    this.finish = resolve;
  });

  constructor(private readonly deps: AgentLoopDependencies) {}

  /** Starts all timers: heartbeat, inventory and spool delivery at once, command polling right after. */
  async start(): Promise<void> {
    await this.loadInventoryState();
    const { settings } = this.deps;
    this.addTask('heartbeat', settings.heartbeatMs, () => this.heartbeat());
    this.addTask('inventory', settings.inventoryMs, () => this.inventory());
    // The spool is delivered after every report and whenever the hub answers again; this timer only retries.
    this.addTask('spool', Math.max(settings.heartbeatMs, 60_000), () => this.flush());
    const commands = this.deps.commands;
    if (commands !== undefined) {
      this.addTask('commands', settings.commandPollMs, (signal) => commands.pollAndRun(signal));
    }
    for (const task of this.tasks.values()) this.schedule(task, 0);
  }

  /** One pass of everything (`bulwark agent run --once`); throws the first hub error (AgentStopped for a refused key). */
  async runOnce(): Promise<void> {
    try {
      await this.loadInventoryState();
      await this.heartbeat();
      await this.inventory();
      await this.flush();
      await this.deps.commands?.pollAndRun(this.controller.signal);
    } catch (error) {
      throw isCredentialError(error) ? this.refusedKey(error) : error;
    }
  }

  /** Delivers the spool now (`bulwark agent scan --once`); throws a transient hub error, leaving reports spooled. */
  async deliverSpool(): Promise<number> {
    try {
      return await this.deps.spool.deliver((report) => this.send(report));
    } catch (error) {
      throw isCredentialError(error) ? this.refusedKey(error) : error;
    }
  }

  private refusedKey(error: unknown): AgentStopped {
    const since = this.deps.client.lastAcceptedAt;
    return new AgentStopped(
      `the hub refuses instance ${this.deps.client.identity.instanceId}'s key ` +
        `(${error instanceof Error ? error.message : String(error)})` +
        `${since === undefined ? '' : ` since ${new Date(since).toISOString()}`}: the instance was ` +
        `deregistered or its key retired. The agent stops; register again with \`bulwark agent register --force\`. ` +
        `Spooled reports stay in ${this.deps.spool.directory}.`,
    );
  }

  /** Stops the timers, aborts running work and waits (bounded) for it to settle. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    const running: Promise<void>[] = [];
    for (const task of this.tasks.values()) {
      if (task.timer !== undefined) clearTimeout(task.timer);
      if (task.running !== undefined) running.push(task.running);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(running),
      new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    if (timer !== undefined) clearTimeout(timer);
    this.finish(undefined);
  }

  /** Stops by itself for good: timers cleared, running work aborted, `finished` settles with the reason. */
  private halt(reason: AgentStopped): void {
    if (this.stopped) return;
    this.stopped = true;
    this.controller.abort();
    for (const task of this.tasks.values()) if (task.timer !== undefined) clearTimeout(task.timer);
    this.deps.logger.error(reason.message);
    this.finish(reason);
  }

  /** Spools a report and tries to deliver it now (for command results and other reports). */
  async report(
    kind: string,
    target: string,
    body: Record<string, unknown>,
    reportId?: string,
  ): Promise<void> {
    await this.deps.spool.enqueue({ kind, target, body, ...(reportId === undefined ? {} : { reportId }) });
    this.trigger('spool');
  }

  private addTask(name: string, intervalMs: number, run: (signal: AbortSignal) => Promise<void>): void {
    this.tasks.set(name, { name, intervalMs, run, failures: 0 });
  }

  /** Runs a task soon (unless it is running already). */
  private trigger(name: string): void {
    const task = this.tasks.get(name);
    if (task === undefined || task.running !== undefined || this.stopped) return;
    this.schedule(task, 0);
  }

  private schedule(task: Task, delayMs: number): void {
    if (this.stopped) return;
    if (task.timer !== undefined) clearTimeout(task.timer);
    task.timer = setTimeout(() => {
      task.timer = undefined;
      task.running = this.execute(task).finally(() => {
        task.running = undefined;
      });
    }, delayMs);
  }

  private async execute(task: Task): Promise<void> {
    try {
      await task.run(this.controller.signal);
      if (task.failures > 0) this.deps.logger.info(`${task.name}: the hub answers again`);
      task.failures = 0;
      this.schedule(task, task.intervalMs);
    } catch (error) {
      if (this.stopped) return;
      const message = error instanceof Error ? error.message : String(error);
      if (isCredentialError(error)) {
        const since = Math.max(this.deps.client.lastAcceptedAt ?? 0, this.startedAt);
        if (Date.now() - since >= this.deps.settings.credentialGraceMs) {
          this.halt(this.refusedKey(error));
          return;
        }
      }
      if (!isTransient(error)) {
        this.deps.logger.error(`${task.name} failed: ${message}`);
        task.failures = 0;
        this.schedule(task, task.intervalMs);
        return;
      }
      task.failures += 1;
      const delay = Math.min(
        task.intervalMs,
        fullJitterDelay(task.failures, this.deps.settings.backoff, this.deps.random),
      );
      this.deps.logger.warn(
        `${task.name} failed (attempt ${task.failures}): ${message}; retrying in ${Math.round(delay / 1000)} s`,
      );
      this.schedule(task, delay);
    }
  }

  private async heartbeat(): Promise<void> {
    await this.deps.client.call('AmazonSSM.UpdateInstanceInformation', {
      InstanceId: this.deps.client.identity.instanceId,
      ...heartbeatFacts(collectHostFacts()),
    });
    // The hub answers: anything spooled while it was away can go now.
    if (this.deps.spool.size > 0) this.trigger('spool');
  }

  private async inventory(): Promise<void> {
    const items = await (
      this.deps.collectInventory ??
      (() =>
        collectInventory({
          customDirectory: path.join(this.deps.stateDir, 'inventory', 'custom'),
          warn: (message) => this.deps.logger.warn(message),
        }))
    )();
    await this.deps.spool.enqueue({
      kind: 'inventory',
      target: 'AmazonSSM.PutInventory',
      body: { InstanceId: this.deps.client.identity.instanceId, Items: items },
      replacesOlder: true,
    });
    await this.flush();
  }

  private async flush(): Promise<void> {
    const delivered = await this.deps.spool.deliver((report) => this.send(report));
    if (delivered > 0) this.deps.logger.info(`delivered ${delivered} spooled report(s)`);
  }

  /** Sends one spooled report; resolves when the hub acknowledged it, throws to keep it spooled. */
  private async send(report: SpooledReport): Promise<DeliveryOutcome> {
    try {
      if (report.kind === 'inventory') await this.sendInventory(report);
      else await this.deps.client.call(report.target, report.body, { signal: this.controller.signal });
      return 'delivered';
    } catch (error) {
      // A refused report while the hub still accepts the key (a heartbeat goes through) is refused for good.
      if (isCredentialError(error) && !(await this.keyAccepted())) throw error;
      if (isTransient(error) && !isCredentialError(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      this.deps.logger.error(`report ${report.reportId} (${report.kind}) rejected by the hub: ${message}`);
      return { rejected: message };
    }
  }

  /** Whether the hub accepts this instance's key now (one heartbeat). */
  private async keyAccepted(): Promise<boolean> {
    return this.deps.client
      .call('AmazonSSM.UpdateInstanceInformation', {
        InstanceId: this.deps.client.identity.instanceId,
        ...heartbeatFacts(collectHostFacts()),
      })
      .then(
        () => true,
        () => false,
      );
  }

  /**
   * PutInventory with Content only for types whose hash the hub has not acknowledged yet; if the hub lost
   * what we thought it had (ItemContentMismatchException), once more with everything in full.
   */
  private async sendInventory(report: SpooledReport): Promise<void> {
    const items = (report.body['Items'] ?? []) as InventoryItem[];
    const compact = items.map((item) =>
      this.acknowledgedHashes.get(item.TypeName) === item.ContentHash
        ? {
            TypeName: item.TypeName,
            SchemaVersion: item.SchemaVersion,
            CaptureTime: item.CaptureTime,
            ContentHash: item.ContentHash,
          }
        : item,
    );
    try {
      await this.deps.client.call(
        report.target,
        { ...report.body, Items: compact },
        { signal: this.controller.signal },
      );
    } catch (error) {
      if (!(error instanceof HubError) || error.code !== 'ItemContentMismatchException') throw error;
      await this.deps.client.call(report.target, report.body, { signal: this.controller.signal });
    }
    for (const item of items) this.acknowledgedHashes.set(item.TypeName, item.ContentHash);
    await writeFileAtomic(
      path.join(this.deps.stateDir, INVENTORY_STATE_FILE),
      JSON.stringify(Object.fromEntries(this.acknowledgedHashes)),
      0o600,
    );
  }

  private async loadInventoryState(): Promise<void> {
    try {
      const parsed = JSON.parse(
        await readFile(path.join(this.deps.stateDir, INVENTORY_STATE_FILE), 'utf8'),
      ) as Record<string, unknown>;
      this.acknowledgedHashes = new Map(
        Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
    } catch {
      this.acknowledgedHashes = new Map(); // first run, or unreadable: send everything in full
    }
  }
}
