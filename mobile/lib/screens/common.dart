import 'package:flutter/material.dart';
import 'package:intl/intl.dart';

final money = NumberFormat.simpleCurrency(name: 'USD');

/// The loading, error and empty states every list screen shows the same way.
Widget asyncBody<T>(AsyncSnapshot<T> snap, Widget Function(T data) build, {VoidCallback? retry}) {
  if (snap.hasError) {
    return Center(
      child: Padding(
        padding: const EdgeInsets.all(24),
        child: Column(mainAxisSize: MainAxisSize.min, children: [
          Text('${snap.error}', textAlign: TextAlign.center, style: const TextStyle(color: Color(0xFFB91C1C))),
          if (retry != null) TextButton(onPressed: retry, child: const Text('Try again')),
        ]),
      ),
    );
  }
  if (!snap.hasData) {
    return const Center(child: CircularProgressIndicator(semanticsLabel: 'Loading'));
  }
  return build(snap.data as T);
}

Widget emptyState(String text) => Center(child: Padding(padding: const EdgeInsets.all(24), child: Text(text)));
