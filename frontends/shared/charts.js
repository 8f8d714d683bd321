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
  const charts = [
    new Chart(sales, {
      type: 'line',
      data: {
        labels: perHour.map((s) => hour(s.hour)),
        datasets: [
          { label: 'Revenue', data: perHour.map((s) => s.revenue), borderColor: BLUE, backgroundColor: BLUE, yAxisID: 'y' },
          { label: 'Orders', data: perHour.map((s) => s.orders), borderColor: GREEN, backgroundColor: GREEN, yAxisID: 'y1' },
        ],
      },
      options: { ...options, scales: { y: { position: 'left' }, y1: { position: 'right', grid: { drawOnChartArea: false } } } },
    }),
    new Chart(events, {
      type: 'bar',
      data: {
        labels: Object.keys(summary.eventsByType || {}),
        datasets: [{ label: 'Events', data: Object.values(summary.eventsByType || {}), backgroundColor: BLUE }],
      },
      options: { ...options, indexAxis: 'y' },
    }),
    new Chart(top, {
      type: 'bar',
      data: {
        labels: (summary.topProducts || []).map((p) => p.name),
        datasets: [{ label: 'Units sold', data: (summary.topProducts || []).map((p) => p.quantity), backgroundColor: GREEN }],
      },
      options,
    }),
  ];
  return () => charts.forEach((c) => c.destroy());
}
