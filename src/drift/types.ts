/** A route whose authorization in the current configuration differs from the deployed stage. */
export interface DriftFinding {
  /** `METHOD /path` */
  route: string;
  stage: string;
  /** The current configuration's authorization, e.g. `TokenAuth (TOKEN, header X-Auth-Token)`, or `absent`. */
  current: string;
  /** The deployed stage's authorization, same form. */
  deployed: string;
  /** What differs, e.g. `authorizer TokenAuth: validation expression ^a$ -> ^b$`. */
  changes: string[];
  /** One line for the user: `GET /pets: authorization changed but not redeployed (...): redeploy the API to stage prod`. */
  message: string;
}
