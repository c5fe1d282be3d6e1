/** The awsJson1_1 routes of SSM service settings: GetServiceSetting, UpdateServiceSetting, ResetServiceSetting. */
import { z } from 'zod';
import { awsJsonRoute, type AwsJsonRoute } from '../protocols/index.js';
import { ssmService, toEpochSeconds } from '../protocols/ssm/index.js';
import type { ServiceSetting, ServiceSettingsService } from './service-settings-service.js';

const settingIdSchema = z.object({ SettingId: z.string().min(1).max(1000) });
const updateServiceSettingSchema = z.object({
  SettingId: z.string().min(1).max(1000),
  SettingValue: z.string().min(1).max(4096),
});

function toServiceSetting(setting: ServiceSetting): Record<string, unknown> {
  return {
    SettingId: setting.settingId,
    SettingValue: setting.value,
    LastModifiedDate: toEpochSeconds(setting.lastModifiedDate),
    LastModifiedUser: setting.lastModifiedUser,
    ARN: setting.arn,
    Status: setting.status,
  };
}

/** Routes of the service-setting operations. */
export function serviceSettingsRoutes(settings: ServiceSettingsService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'GetServiceSetting',
      schema: settingIdSchema,
      handle: async (ctx, input) => ({
        ServiceSetting: toServiceSetting(await settings.get(ctx, input.SettingId)),
      }),
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateServiceSetting',
      schema: updateServiceSettingSchema,
      handle: async (ctx, input) => {
        await settings.update(ctx, input.SettingId, input.SettingValue);
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ResetServiceSetting',
      schema: settingIdSchema,
      handle: async (ctx, input) => ({
        ServiceSetting: toServiceSetting(await settings.reset(ctx, input.SettingId)),
      }),
    }),
  ];
}
