import Foundation

extension FakeResponse {
    /// The HTML error page a proxy in front of the provider sends.
    public static func htmlBadGateway(status: Int = 502) -> FakeResponse {
        let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
            + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        return FakeResponse(status: status, headers: [], content: .bytes(Data(page.utf8), contentType: "text/html"))
    }

    /// A body that claims to be JSON (`application/json`) and is not.
    public static func nonJSON(status: Int = 200, _ text: String = "upstream connect error or disconnect/reset before headers")
        -> FakeResponse
    {
        FakeResponse(status: status, headers: [], content: .bytes(Data(text.utf8), contentType: "application/json"))
    }
}
