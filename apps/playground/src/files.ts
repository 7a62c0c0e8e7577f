/** Where the page finds the data files that the build copies next to it (plugins/), relative to the page. */

/** The text of Moby Dick, one plain-text file. */
export const MOBY_DICK_FILE = 'text/moby-dick.txt';
