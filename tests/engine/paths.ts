/** Where the engine tests find the repository and their Pulumi program. */
import * as path from "node:path";

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, "../..");
/** The test program (Pulumi.yaml + index.ts); its stacks' config files are written beside it. */
export const PROGRAM_DIR = path.join(__dirname, "program");
