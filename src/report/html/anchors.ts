/** Element ids in the page, by position: check ids can contain anything, positions cannot collide. */
export const scenarioAnchor = (si: number) => `s${si}`;
export const checkAnchor = (si: number, ci: number) => `c${si}-${ci}`;
