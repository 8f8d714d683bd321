// The dashboard's entry point for the apps: Chart.js loads (as its own chunk) only when an admin
// opens the analytics page, so shoppers never download it.

/** Draw the charts into {sales, events, top} canvases; returns a function that removes them. */
export function drawDashboard(canvases, summary) {
  let undo = null;
  let cancelled = false;
  import('./charts.js').then((charts) => {
    if (!cancelled) undo = charts.drawDashboard(canvases, summary);
  });
  return () => {
    cancelled = true;
    undo?.();
  };
}
