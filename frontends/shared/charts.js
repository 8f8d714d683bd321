// The analytics dashboard's charts (Chart.js), drawn into canvases the apps own.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const BLUE = '#1d4ed8';
const GREEN = '#047857';
const hour = (value) => new Date(value).toLocaleString('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });

/** Draw the three dashboard charts; returns a function that destroys them. */
export function drawDashboard({ sales, events, top }, summary) {
  const options = { responsive: true, maintainAspectRatio: false, animation: false };
  const perHour = summary.salesPerHour || [];
  // The busiest event types first, named without the common "shop." and version parts.
  const busiest = Object.entries(summary.eventsByType || {})
    .sort((x, y) => y[1] - x[1])
    .slice(0, 10);
  const charts = [
    new Chart(sales, {
      type: 'bar',
      data: {
        labels: perHour.map((s) => hour(s.hour)),
        datasets: [
          { type: 'bar', label: 'Revenue', data: perHour.map((s) => s.revenue), backgroundColor: BLUE, yAxisID: 'y' },
          { type: 'line', label: 'Orders', data: perHour.map((s) => s.orders), borderColor: GREEN, backgroundColor: GREEN, yAxisID: 'y1' },
        ],
      },
      options: {
        ...options,
        scales: { y: { position: 'left', beginAtZero: true }, y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } } },
      },
    }),
    new Chart(events, {
      type: 'bar',
      data: {
        labels: busiest.map(([type]) => type.replace(/^shop\./, '').replace(/\.v\d+$/, '')),
        datasets: [{ label: 'Events', data: busiest.map(([, count]) => count), backgroundColor: BLUE }],
      },
      options: { ...options, indexAxis: 'y' },
    }),
    new Chart(top, {
      type: 'bar',
      data: {
        labels: (summary.topProducts || []).map((p) => p.name),
        datasets: [{ label: 'Units sold', data: (summary.topProducts || []).map((p) => p.quantity), backgroundColor: GREEN }],
      },
      options: { ...options, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
  ];
  return () => charts.forEach((c) => c.destroy());
}
