import Foundation

/// rabbitmq-c reports any failed connect as "a socket error occurred" (its non-blocking connect
/// leaves errno at EINPROGRESS). To name the cause (refused, unreachable, unknown host), the
/// connect is tried once more with a plain blocking socket.
enum TCPDiagnosis {
    static func reason(host: String, port: Int) -> String {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(host, String(port), &hints, &list)
        guard lookup == 0, let first = list else { return "cannot resolve host: \(String(cString: gai_strerror(lookup)))" }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 { return "a socket error occurred" }
        return String(cString: strerror(errno))
    }
}
