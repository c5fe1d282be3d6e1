/** Where the published ASFF samples live: `test/fixtures/asff` in this repository (provenance in SOURCES.md there). */
import { fileURLToPath } from 'node:url';

/** This file runs from dist/test/support/, so the fixtures are three levels up in the source tree. */
export const asffSamplesDir = fileURLToPath(new URL('../../../test/fixtures/asff', import.meta.url));
