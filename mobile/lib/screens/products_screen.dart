import 'package:flutter/material.dart';

import '../api/client.dart';
import '../api/errors.dart';
import '../api/models.dart';
import 'common.dart';

class ProductsScreen extends StatefulWidget {
  const ProductsScreen({super.key, required this.api});
  final ShopApi api;

  @override
  State<ProductsScreen> createState() => _ProductsScreenState();
}

class _ProductsScreenState extends State<ProductsScreen> {
  final _query = TextEditingController();
  late Future<Page<Product>> _page = widget.api.products();

  void _search() => setState(() {
        final q = _query.text.trim();
        _page = q.isEmpty ? widget.api.products() : widget.api.search(q);
      });

  Future<void> _add(Product p) async {
    final messenger = ScaffoldMessenger.of(context);
    try {
      await widget.api.addToCart(p.id);
      messenger.showSnackBar(SnackBar(
        content: Text('${p.name} is in your cart'),
        action: SnackBarAction(label: 'Check out', onPressed: _checkout),
      ));
    } on ApiException catch (e) {
      messenger.showSnackBar(SnackBar(content: Text(e.message)));
    }
  }

  Future<void> _checkout() async {
    final messenger = ScaffoldMessenger.of(context);
    try {
      final order = await widget.api.checkout(shippingAddress: '1 Main Street, Springfield');
      messenger.showSnackBar(SnackBar(content: Text('Order ${order.id.substring(0, 8)} placed: see Orders')));
    } on ApiException catch (e) {
      messenger.showSnackBar(SnackBar(content: Text(e.message)));
    }
  }

  @override
  Widget build(BuildContext context) {
    return Column(children: [
      Padding(
        padding: const EdgeInsets.all(12),
        child: TextField(
          controller: _query,
          decoration: InputDecoration(
            labelText: 'Search products',
            suffixIcon: IconButton(tooltip: 'Search', icon: const Icon(Icons.search), onPressed: _search),
          ),
          textInputAction: TextInputAction.search,
          onSubmitted: (_) => _search(),
        ),
      ),
      Expanded(
        child: FutureBuilder<Page<Product>>(
          future: _page,
          builder: (context, snap) => asyncBody(snap, (page) {
            if (page.items.isEmpty) return emptyState('No products found.');
            return RefreshIndicator(
              onRefresh: () async => _search(),
              child: ListView.separated(
                itemCount: page.items.length,
                separatorBuilder: (_, __) => const Divider(height: 1),
                itemBuilder: (context, i) {
                  final p = page.items[i];
                  return ListTile(
                    title: Text(p.name),
                    subtitle: Text('${p.category} · ${p.rating.toStringAsFixed(1)}★ (${p.ratingCount}) · ${p.stock} in stock'),
                    trailing: Row(mainAxisSize: MainAxisSize.min, children: [
                      Text(money.format(p.price)),
                      IconButton(
                        tooltip: 'Add ${p.name} to cart',
                        icon: const Icon(Icons.add_shopping_cart),
                        onPressed: p.stock > 0 ? () => _add(p) : null,
                      ),
                    ]),
                  );
                },
              ),
            );
          }, retry: _search),
        ),
      ),
    ]);
  }
}
