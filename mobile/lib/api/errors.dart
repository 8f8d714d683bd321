/// A refusal from the API, read from its problem+json body (RFC 9457).
class ApiException implements Exception {
  ApiException(this.status, Map<String, dynamic>? problem)
      : code = (problem?['code'] ?? '') as String,
        message = (problem?['detail'] ?? problem?['title'] ?? 'request failed ($status)') as String,
        fieldErrors = [
          for (final e in (problem?['errors'] as List<dynamic>? ?? const []))
            if (e is Map<String, dynamic>) '${e['field']}: ${e['message']}'
        ];

  /// 0 when the server could not be reached at all.
  final int status;
  final String code;
  final String message;
  final List<String> fieldErrors;

  bool get isUnauthorized => status == 401;

  @override
  String toString() => message;
}
