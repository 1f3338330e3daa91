import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The API's router, with a list of what was added to it: the test that checks the OpenAPI
/// document against the routes reads ``routes``.
final class RouteTable {
    let router: Router<APIContext>
    private(set) var routes: [(method: String, path: String)] = []

    init(router: Router<APIContext>) {
        self.router = router
    }

    /// The methods each route path answers, for 405 answers with an `Allow` header.
    var methods: RouteMethods { RouteMethods(routes) }

    func get(_ path: String, _ handler: @escaping @Sendable (Request, APIContext) async throws -> Response) {
        routes.append(("GET", path))
        router.get(RouterPath(path), use: handler)
    }

    func post(_ path: String, _ handler: @escaping @Sendable (Request, APIContext) async throws -> Response) {
        routes.append(("POST", path))
        router.post(RouterPath(path), use: handler)
    }

    /// A WebSocket endpoint (a GET that upgrades).
    func webSocket(_ path: String, shouldUpgrade: @escaping @Sendable (Request, APIContext) async throws -> RouterShouldUpgrade,
                   onUpgrade: @escaping WebSocketDataHandler<WebSocketRouterContext<APIContext>>) {
        routes.append(("GET", path))
        router.ws(RouterPath(path), shouldUpgrade: shouldUpgrade, onUpgrade: onUpgrade)
    }
}

/// Which methods a path answers: a request to a known path with another method is 405 with
/// `Allow`, not 404.
struct RouteMethods: Sendable {
    private let templates: [(segments: [String], methods: [String])]

    init(_ routes: [(method: String, path: String)]) {
        var byPath: [String: [String]] = [:]
        for route in routes { byPath[route.path, default: []].append(route.method) }
        templates = byPath.map { (segments: $0.key.split(separator: "/").map(String.init), methods: $0.value.sorted()) }
    }

    /// The methods of the route whose template matches `path` (`{name}` matches any one
    /// segment); empty when none does.
    func allowed(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        for template in templates where template.segments.count == segments.count {
            let matches = zip(template.segments, segments).allSatisfy { pattern, segment in
                pattern.hasPrefix("{") || pattern == segment
            }
            if matches { return template.methods }
        }
        return []
    }
}

/// The route methods, known once every route is added (after the middleware that reads them).
final class RouteMethodsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var methods = RouteMethods([])

    func set(_ methods: RouteMethods) { lock.withLock { self.methods = methods } }
    func allowed(for path: String) -> [String] { lock.withLock { methods }.allowed(for: path) }
}
