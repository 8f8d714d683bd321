/// The API's shapes the app shows (only the fields it uses).
class Product {
  Product.fromJson(Map<String, dynamic> j)
      : id = j['_id'] as String,
        name = j['name'] as String,
        description = (j['description'] ?? '') as String,
        price = (j['price'] as num).toDouble(),
        category = j['category'] as String,
        stock = j['stock'] as int,
        rating = ((j['rating'] ?? 0) as num).toDouble(),
        ratingCount = (j['ratingCount'] ?? 0) as int;

  final String id;
  final String name;
  final String description;
  final double price;
  final String category;
  final int stock;
  final double rating;
  final int ratingCount;
}

class OrderItem {
  OrderItem.fromJson(Map<String, dynamic> j)
      : productId = j['productId'] as String,
        name = j['name'] as String,
        quantity = j['quantity'] as int,
        unitPrice = (j['unitPrice'] as num).toDouble();

  final String productId;
  final String name;
  final int quantity;
  final double unitPrice;
}

class Order {
  Order.fromJson(Map<String, dynamic> j)
      : id = j['id'] as String,
        status = j['status'] as String,
        total = (j['total'] as num).toDouble(),
        currency = j['currency'] as String,
        reason = (j['reason'] ?? '') as String,
        trackingId = (j['trackingId'] ?? '') as String,
        createdAt = DateTime.parse(j['createdAt'] as String),
        items = [for (final i in j['items'] as List<dynamic>) OrderItem.fromJson(i as Map<String, dynamic>)];

  final String id;
  final String status;
  final double total;
  final String currency;
  final String reason;
  final String trackingId;
  final DateTime createdAt;
  final List<OrderItem> items;

  /// The saga has settled: confirmed (or further), or cancelled.
  bool get isFinal => status != 'PENDING';
}

/// A page of a list answer: {items..., total, page, pageSize}.
class Page<T> {
  Page(this.items, Map<String, dynamic> j)
      : total = j['total'] as int,
        page = j['page'] as int,
        pageSize = j['pageSize'] as int;

  final List<T> items;
  final int total;
  final int page;
  final int pageSize;

  int get pages => total == 0 ? 1 : (total + pageSize - 1) ~/ pageSize;
  bool get hasNext => page < pages;
}

class HourSales {
  HourSales.fromJson(Map<String, dynamic> j)
      : hour = DateTime.parse(j['hour'] as String),
        orders = j['orders'] as int,
        revenue = (j['revenue'] as num).toDouble();

  final DateTime hour;
  final int orders;
  final double revenue;
}

class TopProduct {
  TopProduct.fromJson(Map<String, dynamic> j)
      : name = j['name'] as String,
        quantity = j['quantity'] as int,
        revenue = (j['revenue'] as num).toDouble();

  final String name;
  final int quantity;
  final double revenue;
}

class Summary {
  Summary.fromJson(Map<String, dynamic> j)
      : totalUsers = j['totalUsers'] as int,
        totalOrders = j['totalOrders'] as int,
        totalRevenue = (j['totalRevenue'] as num).toDouble(),
        totalRefunded = (j['totalRefunded'] as num).toDouble(),
        eventsByType = (j['eventsByType'] as Map<String, dynamic>).map((k, v) => MapEntry(k, v as int)),
        salesPerHour = [for (final s in j['salesPerHour'] as List<dynamic>) HourSales.fromJson(s as Map<String, dynamic>)],
        topProducts = [for (final p in j['topProducts'] as List<dynamic>) TopProduct.fromJson(p as Map<String, dynamic>)];

  final int totalUsers;
  final int totalOrders;
  final double totalRevenue;
  final double totalRefunded;
  final Map<String, int> eventsByType;
  final List<HourSales> salesPerHour;
  final List<TopProduct> topProducts;
}
