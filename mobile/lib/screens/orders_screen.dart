import 'package:flutter/material.dart';

import '../api/client.dart';
import '../api/models.dart';
import 'common.dart';

class OrdersScreen extends StatefulWidget {
  const OrdersScreen({super.key, required this.api});
  final ShopApi api;

  @override
  State<OrdersScreen> createState() => _OrdersScreenState();
}

class _OrdersScreenState extends State<OrdersScreen> {
  late Future<Page<Order>> _orders = widget.api.orders();

  void _reload() => setState(() => _orders = widget.api.orders());

  @override
  Widget build(BuildContext context) {
    return FutureBuilder<Page<Order>>(
      future: _orders,
      builder: (context, snap) => asyncBody(snap, (page) {
        if (page.items.isEmpty) return emptyState('No orders yet.');
        return RefreshIndicator(
          onRefresh: () async => _reload(),
          child: ListView(children: [
            for (final o in page.items)
              ListTile(
                title: Text('Order ${o.id.substring(0, 8)} · ${money.format(o.total)}'),
                subtitle: Text(o.status),
                onTap: () => Navigator.of(context).push(
                  MaterialPageRoute<void>(builder: (_) => OrderScreen(api: widget.api, orderId: o.id)),
                ),
              ),
          ]),
        );
      }, retry: _reload),
    );
  }
}

/// One order, updating live while the saga works on it.
class OrderScreen extends StatelessWidget {
  const OrderScreen({super.key, required this.api, required this.orderId});
  final ShopApi api;
  final String orderId;

  static const _steps = ['PENDING', 'CONFIRMED', 'SHIPPED'];

  @override
  Widget build(BuildContext context) {
    return Scaffold(
      appBar: AppBar(title: Text('Order ${orderId.substring(0, 8)}')),
      body: StreamBuilder<Order>(
        stream: api.watchOrder(orderId),
        builder: (context, snap) => asyncBody(snap, (o) {
          final reached = _steps.indexOf(o.status);
          return ListView(padding: const EdgeInsets.all(16), children: [
            Semantics(liveRegion: true, child: Text('Status: ${o.status}', style: Theme.of(context).textTheme.titleLarge)),
            if (o.status == 'CANCELLED')
              Text('Cancelled: ${o.reason}', style: const TextStyle(color: Color(0xFFB91C1C)))
            else
              Stepper(
                physics: const NeverScrollableScrollPhysics(),
                currentStep: reached < 0 ? 0 : reached,
                controlsBuilder: (_, __) => const SizedBox.shrink(),
                steps: [
                  for (final (i, label) in ['Placed', 'Paid and confirmed', 'Shipped'].indexed)
                    Step(title: Text(label), content: const SizedBox.shrink(), isActive: i <= reached,
                        state: i < reached || (i == reached && o.isFinal) ? StepState.complete : StepState.indexed),
                ],
              ),
            for (final item in o.items) Text('${item.quantity} × ${item.name} · ${money.format(item.unitPrice)}'),
            const SizedBox(height: 8),
            Text('Total ${money.format(o.total)}', style: Theme.of(context).textTheme.titleMedium),
            if (o.status == 'PENDING' || o.status == 'CONFIRMED')
              TextButton(onPressed: () => api.cancelOrder(o.id), child: const Text('Cancel order')),
          ]);
        }),
      ),
    );
  }
}
