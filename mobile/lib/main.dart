import 'package:flutter/material.dart';

import 'api/client.dart';
import 'screens/analytics_screen.dart';
import 'screens/login_screen.dart';
import 'screens/orders_screen.dart';
import 'screens/products_screen.dart';

/// The API's origin: `flutter run --dart-define=SHOPFN_URL=http://10.0.2.2:8080` on an Android
/// emulator talking to `make dev` on the host.
const apiUrl = String.fromEnvironment('SHOPFN_URL', defaultValue: 'http://127.0.0.1:8080');

Future<void> main() async {
  WidgetsFlutterBinding.ensureInitialized();
  final api = ShopApi(apiUrl);
  await api.restore();
  runApp(ShopApp(api: api));
}

class ShopApp extends StatefulWidget {
  const ShopApp({super.key, required this.api});
  final ShopApi api;

  @override
  State<ShopApp> createState() => _ShopAppState();
}

class _ShopAppState extends State<ShopApp> {
  int _tab = 0;

  void _changed() => setState(() => _tab = 0);

  @override
  Widget build(BuildContext context) {
    final api = widget.api;
    final tabs = <(String, IconData, Widget)>[
      ('Products', Icons.storefront, ProductsScreen(api: api)),
      ('Orders', Icons.receipt_long, OrdersScreen(api: api)),
      if (api.isAdmin) ('Analytics', Icons.bar_chart, AnalyticsScreen(api: api)),
    ];
    final current = _tab < tabs.length ? _tab : 0;
    return MaterialApp(
      title: 'shopfn',
      theme: ThemeData(colorSchemeSeed: const Color(0xFF1D4ED8), useMaterial3: true),
      home: !api.isLoggedIn
          ? LoginScreen(api: api, onLoggedIn: _changed)
          : Scaffold(
              appBar: AppBar(
                title: Text(tabs[current].$1),
                actions: [
                  IconButton(
                    tooltip: 'Log out',
                    icon: const Icon(Icons.logout),
                    onPressed: () async {
                      await api.logout();
                      _changed();
                    },
                  ),
                ],
              ),
              body: tabs[current].$3,
              bottomNavigationBar: NavigationBar(
                selectedIndex: current,
                onDestinationSelected: (i) => setState(() => _tab = i),
                destinations: [for (final t in tabs) NavigationDestination(icon: Icon(t.$2), label: t.$1)],
              ),
            ),
    );
  }
}
