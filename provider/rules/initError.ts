/**
 * The "created, but not finished" outcome: the dynamic-provider host records the resource with this ID and
 * these properties, and reports the reasons (its ErrorResourceInitFailed; @pulumi/pulumi
 * cmd/dynamic-provider/index.js checks for `id`, `properties` and `reasons`). The next `pulumi up` then calls
 * update on it, which resumes the wait.
 */
import type { Props } from "./values";

export class ResourceInitError extends Error {
  override name = "ResourceInitError";
  constructor(
    message: string,
    public readonly id: string,
    public readonly properties: Props,
    public readonly reasons: string[],
  ) {
    super(message);
  }
}
