import Foundation

/// A plain HTTP/1.1 GET to 127.0.0.1: the status and the body.
public func httpGet(port: Int, path: String) async throws -> (status: Int, body: String) {
    let response = try await httpRequest("GET", port: port, path: path)
    return (response.status, response.body)
}

/// One HTTP/1.1 request to 127.0.0.1 on a connection of its own, as a browser or a script
/// would send it: the status, the response's headers (names lowercased) and its body.
public func httpRequest(
    _ method: String, port: Int, path: String, headers: [String: String] = [:], body: String? = nil
) async throws -> (status: Int, headers: [String: String], body: String) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw TestSetupError("nothing listens on \(port)") }
    var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    let bytes = Array((body ?? "").utf8)
    if body != nil { request += "Content-Type: application/json\r\nContent-Length: \(bytes.count)\r\n" }
    let message = Array((request + "\r\n").utf8) + bytes
    var sent = 0
    while sent < message.count {
        let count = message[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw TestSetupError("the request could not be sent") }
        sent += count
    }
    var response = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        response += buffer[0..<count]
    }
    let text = String(decoding: response, as: UTF8.self)
    let parts = text.components(separatedBy: "\r\n\r\n")
    let head = parts.first?.components(separatedBy: "\r\n") ?? []
    let status = Int(head.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
    var fields: [String: String] = [:]
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return (status, fields, parts.dropFirst().joined(separator: "\r\n\r\n"))
}
