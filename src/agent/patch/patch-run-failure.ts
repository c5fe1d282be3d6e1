/** How an AWS-RunPatchBaseline run ends early: the payload's exit codes and the failure that carries one. */

/** Exit codes of AWS's payload that this engine produces. */
export const patchExitCodes = {
  success: 0,
  failure: 1,
  snapshotError: 143,
  putInventoryError: 149,
  invalidSnapshot: 150,
  baselineOverrideError: 160,
  installOverrideListError: 165,
  overrideConflict: 167,
} as const;

/** Ends a run with `exitCode`; `message` is the run's last output line. */
export class PatchRunFailure extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The message of anything thrown. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
