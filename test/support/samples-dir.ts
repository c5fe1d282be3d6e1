/** Where the published ASFF samples live: `shared/samples/asff` beside the repository (see SOURCES.md there). */
import { fileURLToPath } from 'node:url';

/** Override with BULWARK_ASFF_SAMPLES; this file runs from dist/test/support/, four levels below the parent. */
export const asffSamplesDir =
  process.env['BULWARK_ASFF_SAMPLES'] ??
  fileURLToPath(new URL('../../../../shared/samples/asff', import.meta.url));
