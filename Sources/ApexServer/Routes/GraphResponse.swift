import ApexDSL
import Hummingbird

/// The answer of a graph route in the format its `?format=` asks for: `json` (the default:
/// nodes, clusters and edges) or `svg` (the picture `apex graph --format svg` draws, with a
/// `status-…` class on each step's node).
enum GraphResponse {
    static func make(for request: Request, json: () -> JSONValue, svg: () -> String) throws -> Response {
        switch request.uri.queryParameters.get("format") {
        case nil, "json":
            return JSONIO.response(json())
        case "svg":
            return Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: svg())))
        case let other?:
            throw Problem.badRequest("format must be json or svg, not \(other)")
        }
    }
}
