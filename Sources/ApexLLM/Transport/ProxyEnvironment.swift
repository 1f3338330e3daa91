import Foundation

/// The proxies the environment names, read as curl reads them: `https_proxy` / `HTTPS_PROXY`
/// for https URLs, `http_proxy` / `HTTP_PROXY` for http ones (the lower-case name wins), and
/// `no_proxy` / `NO_PROXY` for the hosts reached directly.
///
/// A proxy is `[http://][user:password@]host[:port]` (port 80 by default, 1080 for `socks5://`).
/// `NO_PROXY` is a comma-separated list: `*` (no proxy at all), a host (`localhost`), a domain
/// and its subdomains (`example.com` or `.example.com`), optionally with a port
/// (`internal.example:8443`); IP ranges (CIDR) are not supported.
public struct ProxyEnvironment: Sendable, Hashable {
    /// One proxy server.
    public struct Proxy: Sendable, Hashable {
        public enum Kind: Sendable, Hashable { case http, socks5 }
        public var kind: Kind
        public var host: String
        public var port: Int
        /// `user:password`, for basic authorization with the proxy.
        public var credentials: String?
    }

    public var http: Proxy?
    public var https: Proxy?
    /// The `NO_PROXY` entries, lower-cased, without leading dots.
    public var bypass: [String]

    public init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            [name.lowercased(), name.uppercased()].lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        http = value("http_proxy").flatMap(Self.parse)
        https = value("https_proxy").flatMap(Self.parse)
        bypass = (value("no_proxy") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased().drop { $0 == "." }
        }.map(String.init).filter { !$0.isEmpty }
    }

    /// The proxy for a request to `url`; nil to connect directly.
    public func proxy(for url: URL) -> Proxy? {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
        guard let proxy = scheme == "https" ? https : scheme == "http" ? http : nil else { return nil }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return bypasses(host: host, port: port) ? nil : proxy
    }

    func bypasses(host: String, port: Int) -> Bool {
        let host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        return bypass.contains { entry in
            if entry == "*" { return true }
            var name = Substring(entry)
            if let colon = entry.lastIndex(of: ":"), !entry.hasPrefix("["), entry.filter({ $0 == ":" }).count == 1 {
                guard Int(entry[entry.index(after: colon)...]) == port else { return false }
                name = entry[..<colon]
            }
            let bare = name.hasPrefix("[") ? String(name.dropFirst().dropLast()) : String(name)
            return host == bare || host.hasSuffix("." + bare)
        }
    }

    static func parse(_ text: String) -> Proxy? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var kind = Proxy.Kind.http
        if let scheme = rest.range(of: "://") {
            switch rest[..<scheme.lowerBound].lowercased() {
            case "http": kind = .http
            case "socks5", "socks5h": kind = .socks5
            default: return nil
            }
            rest = rest[scheme.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var credentials: String?
        if let at = rest.lastIndex(of: "@") {
            credentials = String(rest[..<at]).removingPercentEncoding
            rest = rest[rest.index(after: at)...]
        }
        var host = rest
        var port = kind == .socks5 ? 1080 : 80
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let given = Int(rest[rest.index(after: colon)...]), (1...65535).contains(given) else { return nil }
            port = given
            host = rest[..<colon]
        }
        guard !host.isEmpty else { return nil }
        return Proxy(kind: kind, host: String(host), port: port, credentials: credentials)
    }
}
