import Foundation
import Testing

@testable import ApexLLM

/// How the proxy variables are read, as curl reads them.
@Suite struct ProxyEnvironmentTests {
    @Test func httpsAndHTTPURLsUseTheirOwnProxy() {
        let proxies = ProxyEnvironment(environment: ["HTTPS_PROXY": "http://user:p%40ss@proxy.corp:3128", "http_proxy": "plain.corp"])
        let https = proxies.proxy(for: URL(string: "https://api.openai.com/v1/chat/completions")!)
        #expect(https == .init(kind: .http, host: "proxy.corp", port: 3128, credentials: "user:p@ss"))
        #expect(proxies.proxy(for: URL(string: "http://example.com/x")!) == .init(kind: .http, host: "plain.corp", port: 80, credentials: nil))
        #expect(proxies.proxy(for: URL(string: "ftp://example.com/x")!) == nil)
    }

    @Test func lowerCaseWinsAndEmptyMeansNone() {
        let proxies = ProxyEnvironment(environment: ["HTTPS_PROXY": "upper:1", "https_proxy": "lower:2", "HTTP_PROXY": ""])
        #expect(proxies.https?.host == "lower")
        #expect(proxies.http == nil)
    }

    @Test func noProxyMatchesHostsDomainsPortsAndEverything() {
        let proxies = ProxyEnvironment(environment: ["HTTPS_PROXY": "proxy:8080", "NO_PROXY": "localhost, .internal.example,api.example:8443,[::1]"])
        func direct(_ url: String) -> Bool { proxies.proxy(for: URL(string: url)!) == nil }
        #expect(direct("https://localhost/x"))
        #expect(direct("https://a.internal.example/x"))
        #expect(direct("https://internal.example/x"))
        #expect(!direct("https://notinternal.example/x"))
        #expect(direct("https://api.example:8443/x"))
        #expect(!direct("https://api.example/x"))
        #expect(direct("https://[::1]:9/x"))
        #expect(!direct("https://example.org/x"))
        let none = ProxyEnvironment(environment: ["HTTPS_PROXY": "proxy:8080", "no_proxy": "*"])
        #expect(none.proxy(for: URL(string: "https://example.org/")!) == nil)
    }

    @Test func socksAndMalformedProxies() {
        #expect(ProxyEnvironment.parse("socks5://gw") == .init(kind: .socks5, host: "gw", port: 1080, credentials: nil))
        #expect(ProxyEnvironment.parse("https://gw:443") == nil, "an https proxy scheme is not supported")
        #expect(ProxyEnvironment.parse("gw:notaport") == nil)
        #expect(ProxyEnvironment.parse("http://gw:3128/") == .init(kind: .http, host: "gw", port: 3128, credentials: nil))
    }
}
