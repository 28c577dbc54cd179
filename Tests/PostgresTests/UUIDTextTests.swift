import Foundation
import Postgres
import Testing

@Suite struct UUIDTextTests {
    @Test func writesAndReadsWhatFoundationDoes() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(id.lowercasedText == id.uuidString.lowercased())
            #expect(UUID(text: id.uuidString) == id)
            #expect(UUID(text: id.lowercasedText) == id)
        }
        #expect(UUID(uuid: (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255)).lowercasedText == "00010203-0405-0607-0809-0a0b0c0d0eff")
    }

    @Test func refusesWhatIsNotAUUID() {
        let valid = "5b0c6f0e-9d6a-4f7e-8c43-2f1d8b0a7c11"
        #expect(UUID(text: valid) != nil)
        for text in [
            "", "5b0c6f0e", valid + "0", String(valid.dropLast()), "5b0c6f0e99d6a-4f7e-8c43-2f1d8b0a7c11",
            "5b0c6f0e-9d6a-4f7e-8c43-2f1d8b0a7c1g", "{5b0c6f0e-9d6a-4f7e-8c43-2f1d8b0a7c1}", "5b0c6f0e-9d6a-4f7e-8c43-2f1d8b0a7cé",
        ] {
            #expect(UUID(text: text) == nil, "\(text)")
            #expect(UUID(uuidString: text) == nil, "Foundation agrees on \(text)")
        }
    }

    @Test func timeOrderedIdsCarryTheirMillisecondAndSortByIt() {
        let instant = Date(timeIntervalSince1970: 1_796_400_000.5)
        let id = UUID.timeOrdered(at: instant)
        let text = id.lowercasedText
        // 1796400000500 ms is 0x01a2 41c8 adf4; then version 7 and the RFC's variant.
        #expect(text.hasPrefix("01a241c8-adf4-7"), "\(text)")
        #expect(["8", "9", "a", "b"].contains(text[text.index(text.startIndex, offsetBy: 19)]), "\(text)")
        // Later ids sort after earlier ones, as text and as PostgreSQL's uuid order (bytes).
        let ids = (0..<100).map { UUID.timeOrdered(at: instant.addingTimeInterval(Double($0) * 0.002)).lowercasedText }
        #expect(ids == ids.sorted())
        // The rest is random: a thousand made in the same millisecond differ.
        #expect(Set((0..<1000).map { _ in UUID.timeOrdered(at: instant) }).count == 1000)
    }
}
