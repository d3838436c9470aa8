export declare const serverDir: string;
export declare const DIST_CLI_DIR: string;
/** Builds the CLI into `outdir`; returns the entry file. */
export declare function bundleCli(outdir: string): Promise<string>;
/** Builds apps/server/dist/cli (swapped in whole); returns the entry file. */
export declare function buildDistCli(): Promise<string>;
