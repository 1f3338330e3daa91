import AsyncHTTPClient

/// The start of a response body as text, for the details of an `http.status` error: reads only
/// as much of the body as the excerpt needs, so that a huge error page costs nothing.
enum HTTPResponseExcerpt {
    static let characters = 1000

    static func read(_ body: HTTPClientResponse.Body) async -> String {
        // A character is at most 4 bytes of UTF-8.
        let enough = characters * 4
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                bytes += chunk.readableBytesView
                if bytes.count >= enough { break }
            }
        } catch {
            // The connection broke mid-body: the excerpt is what arrived.
        }
        return String(String(decoding: bytes.prefix(enough), as: UTF8.self).prefix(characters))
    }
}
