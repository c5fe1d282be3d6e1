/** Persistence of automation rules (V1). */
import { inScope } from '../kernel/index.js';
import type { AutomationRulesTable, DbExecutor } from '../storage/database.js';
import type { AutomationRuleCriteria } from './filters/index.js';
import type { FindingFieldsUpdate } from './findings-model.js';

/** What a rule does to a matching finding; FINDING_FIELDS_UPDATE is the only action type. */
export interface AutomationRuleAction {
  type: 'FINDING_FIELDS_UPDATE';
  findingFieldsUpdate: FindingFieldsUpdate;
}

/** One automation rule of an account in a Region. */
export interface AutomationRule {
  ruleArn: string;
  accountId: string;
  region: string;
  ruleName: string;
  ruleStatus: 'ENABLED' | 'DISABLED';
  ruleOrder: number;
  description: string;
  isTerminal: boolean;
  criteria: AutomationRuleCriteria;
  actions: AutomationRuleAction[];
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
}

function toRule(row: AutomationRulesTable): AutomationRule {
  return {
    ruleArn: row.rule_arn,
    accountId: row.account_id,
    region: row.region,
    ruleName: row.rule_name,
    ruleStatus: row.rule_status === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    ruleOrder: Number(row.rule_order),
    description: row.description,
    isTerminal: Number(row.is_terminal) === 1,
    criteria: JSON.parse(row.criteria) as AutomationRuleCriteria,
    actions: JSON.parse(row.actions) as AutomationRuleAction[],
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    createdBy: row.created_by,
  };
}

function toRow(rule: AutomationRule): AutomationRulesTable {
  return {
    rule_arn: rule.ruleArn,
    account_id: rule.accountId,
    region: rule.region,
    rule_name: rule.ruleName,
    rule_status: rule.ruleStatus,
    rule_order: rule.ruleOrder,
    description: rule.description,
    is_terminal: rule.isTerminal ? 1 : 0,
    criteria: JSON.stringify(rule.criteria),
    actions: JSON.stringify(rule.actions),
    created_at: rule.createdAt.getTime(),
    updated_at: rule.updatedAt.getTime(),
    created_by: rule.createdBy,
  };
}

/** Reads and writes automation rules. */
export class AutomationRulesStore {
  /** The rules of an account in a Region in evaluation order: RuleOrder, then the earlier UpdatedAt. */
  async list(
    db: DbExecutor,
    accountId: string,
    region: string,
    options: { enabledOnly?: boolean } = {},
  ): Promise<AutomationRule[]> {
    let query = db.selectFrom('automation_rules').selectAll().where(inScope({ accountId, region }));
    if (options.enabledOnly === true) query = query.where('rule_status', '=', 'ENABLED');
    const rows = await query.orderBy('rule_order').orderBy('updated_at').orderBy('rule_arn').execute();
    return rows.map(toRule);
  }

  async count(db: DbExecutor, accountId: string, region: string): Promise<number> {
    const row = await db
      .selectFrom('automation_rules')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where(inScope({ accountId, region }))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async find(db: DbExecutor, ruleArn: string): Promise<AutomationRule | undefined> {
    const row = await db
      .selectFrom('automation_rules')
      .selectAll()
      .where('rule_arn', '=', ruleArn)
      .executeTakeFirst();
    return row === undefined ? undefined : toRule(row);
  }

  async insert(db: DbExecutor, rule: AutomationRule): Promise<void> {
    await db.insertInto('automation_rules').values(toRow(rule)).execute();
  }

  async update(db: DbExecutor, rule: AutomationRule): Promise<void> {
    const { rule_arn: ruleArn, ...values } = toRow(rule);
    await db.updateTable('automation_rules').set(values).where('rule_arn', '=', ruleArn).execute();
  }

  async delete(db: DbExecutor, ruleArn: string): Promise<void> {
    await db.deleteFrom('automation_rules').where('rule_arn', '=', ruleArn).execute();
  }
}
