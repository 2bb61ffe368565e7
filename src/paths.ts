/** The package root: this module sits one level below it, whether compiled to dist/ or bundled into dist/cli.js. */
export const packageRoot = new URL('../', import.meta.url);
