import ApexDSL
import Hummingbird

/// `/healthz` (the process answers), `/readyz` (its store answers and is migrated) and
/// `/openapi.json`: no token needed.
struct HealthRoutes {
    let state: ServerState

    func add(to router: RouteTable) {
        router.get("/healthz") { _, _ in
            JSONIO.response(["status": "ok", "version": .string(state.configuration.version)])
        }
        router.get("/readyz") { _, context in
            let engine = try await state.namespaces.engine(Namespace.defaultName)
            do {
                let pending = try await engine.store.migrations().filter { !$0.isApplied }
                guard pending.isEmpty else {
                    throw Problem(.serviceUnavailable, "not-ready", "Not ready", detail: "the store lacks \(pending.count) migration(s): run `apex migrate`")
                }
            } catch let problem as Problem { throw problem } catch {
                state.logger.warning("readiness check failed: \(error)", metadata: ["request_id": "\(context.requestID)"])
                throw Problem(.serviceUnavailable, "not-ready", "Not ready", detail: "the store cannot be reached")
            }
            return JSONIO.response(["status": "ready"])
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_json)))
        }
    }
}
