import type { EcsModel } from "../models/ecs";
import type { KmsModel } from "../models/kms";
import type { StsModel } from "../models/sts";
import type { Params } from "./params";

/** What an action handler gets. @internal */
export interface ActionContext {
  params: Params;
  /** Caller's AccessKeyId (ClientToken scope); "" for an anonymous action (AssumeRoleWithOIDC). */
  accessKeyId: string;
  /** KMS region from RegionId or the endpoint path ("/cn-shanghai/"), when the call names one. */
  regionHint?: string;
  ecs: EcsModel;
  kms: KmsModel;
  sts: StsModel;
}

/** A handler maps RPC parameters to model calls and shapes the JSON body like the SDK response model. @internal */
export type Handler = (ctx: ActionContext) => Record<string, unknown>;
