/** SSM service settings per account and Region (ssm-api.md §9.3): Get, Update, Reset of the known settings. */
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/database.js';
import { appendEvent } from '../worker/index.js';
import type { DocumentsStore } from './documents-store.js';

/** The setting that blocks public document sharing when `Disable`. */
export const publicSharingSettingId = '/ssm/documents/console/public-sharing-permission';

interface KnownSetting {
  defaultValue: string;
  values: readonly string[];
}

/** The settings Bulwark knows, with their defaults and accepted values. */
const knownSettings: ReadonlyMap<string, KnownSetting> = new Map([
  [publicSharingSettingId, { defaultValue: 'Enable', values: ['Enable', 'Disable'] }],
  ['/ssm/managed-instance/activation-tier', { defaultValue: 'standard', values: ['standard', 'advanced'] }],
  ['/ssm/parameter-store/high-throughput-enabled', { defaultValue: 'false', values: ['true', 'false'] }],
  [
    '/ssm/parameter-store/default-parameter-tier',
    { defaultValue: 'Standard', values: ['Standard', 'Advanced', 'Intelligent-Tiering'] },
  ],
]);

/** A setting as GetServiceSetting returns it. */
export interface ServiceSetting {
  settingId: string;
  value: string;
  arn: string;
  lastModifiedDate: Date;
  lastModifiedUser: string;
  status: 'Default' | 'Customized';
}

/** The date defaults are reported as last modified (they never were). */
const defaultsDate = new Date(Date.UTC(2024, 0, 1));

export class ServiceSettingsService {
  constructor(private readonly store: DocumentsStore) {}

  /** The path form of `settingId`, which may be given as the path or as the setting's ARN in this account and Region. */
  private normalize(ctx: Ctx, settingId: string): { id: string; known: KnownSetting } {
    const arn = /^arn:[^:]+:ssm:([^:]*):([^:]*):servicesetting(\/.+)$/.exec(settingId);
    const id = arn === null ? settingId : (arn[3] ?? '');
    const known = knownSettings.get(id);
    if (known === undefined || (arn !== null && (arn[1] !== ctx.region || arn[2] !== ctx.accountId))) {
      throw ssmError('ServiceSettingNotFound', `Service setting ${settingId} was not found.`);
    }
    return { id, known };
  }

  async get(ctx: Ctx, settingId: string): Promise<ServiceSetting> {
    const { id, known } = this.normalize(ctx, settingId);
    const stored = await this.store.setting(ctx.tx, ctx.accountId, ctx.region, id);
    const arn = `arn:aws:ssm:${ctx.region}:${ctx.accountId}:servicesetting${id}`;
    return stored === undefined
      ? {
          settingId: id,
          value: known.defaultValue,
          arn,
          lastModifiedDate: defaultsDate,
          lastModifiedUser: 'System',
          status: 'Default',
        }
      : {
          settingId: id,
          value: stored.value,
          arn,
          lastModifiedDate: stored.modifiedAt,
          lastModifiedUser: stored.modifiedBy,
          status: 'Customized',
        };
  }

  async update(ctx: Ctx, settingId: string, value: string): Promise<void> {
    const { id, known } = this.normalize(ctx, settingId);
    if (!known.values.includes(value)) {
      throw ssmError(
        'ValidationException',
        `SettingValue ${value} is not valid for ${id}; valid values: ${known.values.join(', ')}`,
      );
    }
    await this.store.putSetting(ctx.tx, {
      accountId: ctx.accountId,
      region: ctx.region,
      settingId: id,
      value,
      modifiedBy: ctx.actor.principalArn,
      modifiedAt: ctx.now,
    });
    await this.changed(ctx, id);
  }

  private async changed(ctx: Ctx, settingId: string): Promise<void> {
    await appendEvent(
      ctx.tx,
      { type: 'ServiceSettingChanged', accountId: ctx.accountId, region: ctx.region, settingId },
      ctx.now.getTime(),
    );
  }

  /** The value of the public-sharing setting of an account, read outside a request (controls). */
  async publicSharingValue(db: DbExecutor, accountId: string, region: string): Promise<string> {
    const stored = await this.store.setting(db, accountId, region, publicSharingSettingId);
    return stored?.value ?? knownSettings.get(publicSharingSettingId)?.defaultValue ?? 'Enable';
  }

  async reset(ctx: Ctx, settingId: string): Promise<ServiceSetting> {
    const { id } = this.normalize(ctx, settingId);
    await this.store.deleteSetting(ctx.tx, ctx.accountId, ctx.region, id);
    await this.changed(ctx, id);
    return this.get(ctx, id);
  }

  /** `Enable` unless the account blocked public sharing in this Region. */
  async publicSharingPermission(ctx: Ctx): Promise<string> {
    return (await this.get(ctx, publicSharingSettingId)).value;
  }
}
