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
