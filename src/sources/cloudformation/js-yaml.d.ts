/**
 * The part of js-yaml 4's API that the CloudFormation template parser uses (js-yaml ships no types). A small local
 * declaration, as for newman: only what is called here.
 */
declare module 'js-yaml' {
  export interface TypeOptions {
    kind: 'scalar' | 'sequence' | 'mapping';
    construct?: (data: unknown) => unknown;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
  }
  export interface Schema {
    extend(types: Type[]): Schema;
  }
  export const CORE_SCHEMA: Schema;
  export interface Mark {
    /** 0-based */
    line: number;
    /** 0-based */
    column: number;
    position: number;
  }
  export class YAMLException extends Error {
    reason: string;
    mark?: Mark;
  }
  export function load(
    text: string,
    options?: { schema?: Schema; filename?: string; json?: boolean },
  ): unknown;
  const jsYaml: {
    load: typeof load;
    Type: typeof Type;
    CORE_SCHEMA: Schema;
    YAMLException: typeof YAMLException;
  };
  export default jsYaml;
}
