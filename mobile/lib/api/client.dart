import 'dart:async';
import 'dart:convert';

import 'package:http/http.dart' as http;
import 'package:shared_preferences/shared_preferences.dart';

import 'errors.dart';
import 'models.dart';

/// The shop's API client: the same routes, tokens and errors as the web frontends'
/// `frontends/shared/api.js`. Every call goes through [_send] with a literal method and path,
/// which `tests/unit/test_mobile_api.py` checks against the OpenAPI document.
class ShopApi {
  ShopApi(this.baseUrl, {http.Client? client}) : _http = client ?? http.Client();

  final String baseUrl;
  final http.Client _http;
  String? _access;
  String? _refresh;
  Future<bool>? _refreshing;

  static const _accessKey = 'shopfn.access';
  static const _refreshKey = 'shopfn.refresh';

  /// The logged-in user's claims (sub, role, email), or null.
  Map<String, dynamic>? get claims {
    final token = _access;
    if (token == null) return null;
    final parts = token.split('.');
    if (parts.length != 3) return null;
    return jsonDecode(utf8.decode(base64Url.decode(base64Url.normalize(parts[1])))) as Map<String, dynamic>;
  }

  bool get isLoggedIn => _access != null;
  bool get isAdmin => claims?['role'] == 'admin';
  String? get userId => claims?['sub'] as String?;

  Future<void> restore() async {
    final prefs = await SharedPreferences.getInstance();
    _access = prefs.getString(_accessKey);
    _refresh = prefs.getString(_refreshKey);
  }

  Future<void> _store(String? access, String? refresh) async {
    _access = access;
    _refresh = refresh;
    final prefs = await SharedPreferences.getInstance();
    if (access == null || refresh == null) {
      await prefs.remove(_accessKey);
      await prefs.remove(_refreshKey);
    } else {
      await prefs.setString(_accessKey, access);
      await prefs.setString(_refreshKey, refresh);
    }
  }

  Future<http.Response> _raw(String method, String path, Map<String, String>? query, Object? body) {
    final uri = Uri.parse('$baseUrl$path').replace(queryParameters: query);
    final request = http.Request(method, uri)
      ..headers['Accept'] = 'application/json, application/problem+json';
    if (_access != null) request.headers['Authorization'] = 'Bearer $_access';
    if (body != null) {
      request.headers['Content-Type'] = 'application/json';
      request.body = jsonEncode(body);
    }
    return _http.send(request).then(http.Response.fromStream).timeout(const Duration(seconds: 15));
  }

  /// One refresh at a time: parallel 401s wait for the same new token pair.
  Future<bool> _refreshOnce() {
    return _refreshing ??= () async {
      try {
        final token = _refresh;
        if (token == null) return false;
        final answer = await _send('POST', '/api/auth/refresh', body: {'refreshToken': token}, retry: false);
        await _store(answer['accessToken'] as String, answer['refreshToken'] as String);
        return true;
      } on ApiException {
        return false;
      } finally {
        _refreshing = null;
      }
    }();
  }

  /// Call the API; a 401 with a session refreshes the tokens quietly and retries once.
  Future<Map<String, dynamic>> _send(String method, String path,
      {Map<String, String>? query, Object? body, bool retry = true}) async {
    http.Response response;
    try {
      response = await _raw(method, path, query, body);
      if (response.statusCode == 401 && retry && _refresh != null) {
        if (await _refreshOnce()) {
          response = await _raw(method, path, query, body);
        } else {
          await _store(null, null);
        }
      }
    } on TimeoutException {
      throw ApiException(0, {'detail': 'the shop did not answer in time'});
    } on http.ClientException {
      throw ApiException(0, {'detail': 'cannot reach the shop; check your connection'});
    }
    final decoded = response.body.isEmpty ? null : jsonDecode(response.body);
    if (response.statusCode >= 400) {
      throw ApiException(response.statusCode, decoded is Map<String, dynamic> ? decoded : null);
    }
    return decoded is Map<String, dynamic> ? decoded : <String, dynamic>{};
  }

  // --- session ------------------------------------------------------------------------------

  Future<void> login(String email, String password) async {
    final pair = await _send('POST', '/api/auth/login', body: {'email': email, 'password': password}, retry: false);
    await _store(pair['accessToken'] as String, pair['refreshToken'] as String);
  }

  Future<void> logout() async {
    try {
      if (_refresh != null) await _send('POST', '/api/auth/logout', body: {'refreshToken': _refresh});
    } finally {
      await _store(null, null);
    }
  }

  Future<Map<String, dynamic>> me() async => (await _send('GET', '/api/users/me'))['user'] as Map<String, dynamic>;

  // --- catalog ------------------------------------------------------------------------------

  Future<Page<Product>> products({int page = 1, String? category, String sort = 'newest'}) async {
    final j = await _send('GET', '/api/products', query: {
      'page': '$page',
      'pageSize': '20',
      'sort': sort,
      if (category != null && category.isNotEmpty) 'category': category,
    });
    return Page([for (final p in j['products'] as List<dynamic>) Product.fromJson(p as Map<String, dynamic>)], j);
  }

  Future<Page<Product>> search(String q, {int page = 1}) async {
    final j = await _send('GET', '/api/search', query: {'q': q, 'page': '$page', 'pageSize': '20'});
    return Page([for (final p in j['results'] as List<dynamic>) Product.fromJson(p as Map<String, dynamic>)], j);
  }

  Future<Product> product(String id) async =>
      Product.fromJson((await _send('GET', '/api/products/$id'))['product'] as Map<String, dynamic>);

  Future<void> addToCart(String productId, {int quantity = 1}) =>
      _send('POST', '/api/cart/items', body: {'productId': productId, 'quantity': quantity});

  Future<Order> checkout({required String shippingAddress, String cardNumber = '4242424242424242'}) async {
    final j = await _send('POST', '/api/cart/checkout', body: {'shippingAddress': shippingAddress, 'cardNumber': cardNumber});
    return Order.fromJson(j['order'] as Map<String, dynamic>);
  }

  // --- orders -------------------------------------------------------------------------------

  Future<Page<Order>> orders({int page = 1}) async {
    final j = await _send('GET', '/api/orders', query: {'page': '$page', 'pageSize': '20'});
    return Page([for (final o in j['orders'] as List<dynamic>) Order.fromJson(o as Map<String, dynamic>)], j);
  }

  Future<Order> order(String id) async =>
      Order.fromJson((await _send('GET', '/api/orders/$id'))['order'] as Map<String, dynamic>);

  Future<Order> cancelOrder(String id) async =>
      Order.fromJson((await _send('POST', '/api/orders/$id/cancel'))['order'] as Map<String, dynamic>);

  /// The order, polled every [every] until the saga settles it.
  Stream<Order> watchOrder(String id, {Duration every = const Duration(seconds: 1)}) async* {
    while (true) {
      final current = await order(id);
      yield current;
      if (current.isFinal) return;
      await Future<void>.delayed(every);
    }
  }

  // --- notifications and analytics -----------------------------------------------------------

  Future<int> unreadCount() async {
    final id = userId;
    if (id == null) return 0;
    return (await _send('GET', '/api/notifications/user/$id', query: {'limit': '1'}))['unread'] as int;
  }

  Future<Summary> analyticsSummary() async => Summary.fromJson(await _send('GET', '/api/analytics/summary'));
}
