/** The awsJson1_1 routes of document sharing: ModifyDocumentPermission and DescribeDocumentPermission. */
import { awsJsonRoute, type AwsJsonRoute } from '../protocols/index.js';
import { ssmError, ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import { documentResource } from './document-reference.js';
import type { DocumentsService } from './documents-service.js';
import { describeDocumentPermissionSchema, modifyDocumentPermissionSchema } from './documents-wire.js';
import { withDerivedMembers } from './response-members.js';

const requireShare = (permissionType: string): void => {
  if (permissionType !== 'Share')
    throw ssmError('InvalidPermissionType', `PermissionType ${permissionType} is not valid; use Share.`);
};

/** Routes of ModifyDocumentPermission and DescribeDocumentPermission. */
export function documentSharingRoutes(documents: DocumentsService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'ModifyDocumentPermission',
      schema: modifyDocumentPermissionSchema,
      resource: documentResource,
      handle: async (ctx, input) => {
        requireShare(input.PermissionType);
        if ((input.AccountIdsToAdd ?? []).length === 0 && (input.AccountIdsToRemove ?? []).length === 0) {
          throw ssmError('ValidationException', 'Specify AccountIdsToAdd or AccountIdsToRemove.');
        }
        await documents.modifyPermission(ctx, {
          name: input.Name,
          add: input.AccountIdsToAdd ?? [],
          remove: input.AccountIdsToRemove ?? [],
          sharedVersion: input.SharedDocumentVersion,
        });
        return {};
      },
    }),
    withDerivedMembers(
      ssmListOperation({
        name: 'DescribeDocumentPermission',
        schema: describeDocumentPermissionSchema,
        resultKey: 'AccountSharingInfoList',
        defaultMaxResults: 200,
        resource: documentResource,
        filters: (input) => requireShare(input.PermissionType),
        load: (ctx, { input, after, limit }) =>
          documents.describePermission(ctx, input.Name, { after, limit }),
        keyOf: (share) => [share.accountId],
        toWire: (share) => ({ AccountId: share.accountId, SharedDocumentVersion: share.sharedVersion }),
      }),
      (response) => ({
        AccountIds: (response['AccountSharingInfoList'] as { AccountId: string }[]).map((s) => s.AccountId),
      }),
    ),
  ];
}
