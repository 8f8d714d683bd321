import 'package:fl_chart/fl_chart.dart';
import 'package:flutter/material.dart';

import '../api/client.dart';
import '../api/models.dart';
import 'common.dart';

/// The admin dashboard: totals, revenue per hour and top products (fl_chart).
class AnalyticsScreen extends StatefulWidget {
  const AnalyticsScreen({super.key, required this.api});
  final ShopApi api;

  @override
  State<AnalyticsScreen> createState() => _AnalyticsScreenState();
}

class _AnalyticsScreenState extends State<AnalyticsScreen> {
  late Future<Summary> _summary = widget.api.analyticsSummary();

  void _reload() => setState(() => _summary = widget.api.analyticsSummary());

  @override
  Widget build(BuildContext context) {
    return FutureBuilder<Summary>(
      future: _summary,
      builder: (context, snap) => asyncBody(snap, (s) {
        return RefreshIndicator(
          onRefresh: () async => _reload(),
          child: ListView(padding: const EdgeInsets.all(16), children: [
            Wrap(spacing: 12, runSpacing: 12, children: [
              _kpi(context, 'Users', '${s.totalUsers}'),
              _kpi(context, 'Orders', '${s.totalOrders}'),
              _kpi(context, 'Revenue', money.format(s.totalRevenue)),
              _kpi(context, 'Refunded', money.format(s.totalRefunded)),
            ]),
            const SizedBox(height: 24),
            Text('Revenue per hour', style: Theme.of(context).textTheme.titleMedium),
            SizedBox(
              height: 220,
              child: Semantics(
                label: 'Revenue per hour chart',
                child: LineChart(LineChartData(lineBarsData: [
                  LineChartBarData(spots: [
                    for (final (i, h) in s.salesPerHour.indexed) FlSpot(i.toDouble(), h.revenue),
                  ]),
                ])),
              ),
            ),
            const SizedBox(height: 24),
            Text('Top products', style: Theme.of(context).textTheme.titleMedium),
            SizedBox(
              height: 220,
              child: Semantics(
                label: 'Units sold of the top products',
                child: BarChart(BarChartData(barGroups: [
                  for (final (i, p) in s.topProducts.indexed)
                    BarChartGroupData(x: i, barRods: [BarChartRodData(toY: p.quantity.toDouble())]),
                ])),
              ),
            ),
            for (final p in s.topProducts) Text('${p.name}: ${p.quantity} sold, ${money.format(p.revenue)}'),
          ]),
        );
      }, retry: _reload),
    );
  }

  Widget _kpi(BuildContext context, String label, String value) => Card(
        child: Padding(
          padding: const EdgeInsets.all(12),
          child: Column(children: [Text(label), Text(value, style: Theme.of(context).textTheme.headlineSmall)]),
        ),
      );
}
