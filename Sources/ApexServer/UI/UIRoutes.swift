import Foundation
import Hummingbird

/// The web UI: one page and its script and style sheet, written by hand (no build step, nothing
/// fetched from elsewhere) and compiled into the binary. The page uses the public API and
/// streams only; docs/ui.md describes it.
struct UIRoutes {
    let state: ServerState

    /// A file of the UI: its bytes compiled in, its name in `Resources/ui`, its media type.
    struct File: Sendable {
        let bytes: [UInt8]
        let name: String
        let contentType: String
    }

    /// The UI's files by path. The page routes itself in the URL's fragment (`/#/runs/ID`), so
    /// these are all the server has to answer.
    static let files: [String: File] = [
        "/": File(bytes: PackageResources.index_html, name: "index.html", contentType: "text/html; charset=utf-8"),
        "/ui/app.js": File(bytes: PackageResources.app_js, name: "app.js", contentType: "text/javascript; charset=utf-8"),
        "/ui/app.css": File(bytes: PackageResources.app_css, name: "app.css", contentType: "text/css; charset=utf-8"),
    ]

    /// Scripts and styles from this server only; inline style is allowed for the graphs' SVG,
    /// which carries its own `<style>`.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    func add(to router: RouteTable) {
        for (path, file) in Self.files.sorted(by: { $0.key < $1.key }) {
            router.get(path) { _, _ in
                let bytes = state.configuration.uiDirectory.flatMap { FileManager.default.contents(atPath: "\($0)/\(file.name)") }.map(Array.init)
                return Response(status: .ok,
                                headers: [.contentType: file.contentType, .cacheControl: "no-cache", .contentSecurityPolicy: Self.contentSecurityPolicy,
                                          .xContentTypeOptions: "nosniff", .referrerPolicy: "no-referrer"],
                                body: .init(byteBuffer: ByteBuffer(bytes: bytes ?? file.bytes)))
            }
        }
    }
}
