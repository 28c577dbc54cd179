import BPMN
import Testing

/// The XML reader must be safe on hostile input: no DTD, no entity expansion, bounded size.
@Suite struct SafeXMLTests {
    @Test func aDoctypeIsRefusedBeforeAnythingIsExpanded() {
        let billionLaughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol2;</definitions>
            """
        #expect(throws: SafeXMLParser.Failure.self) { try SafeXMLParser.parse(Array(billionLaughs.utf8)) }
        do {
            _ = try SafeXMLParser.parse(Array(billionLaughs.utf8))
        } catch {
            #expect(error.reason.contains("document type declarations are refused"))
            #expect(error.line == 2)
        }
    }

    @Test func anExternalEntityIsNeverResolved() throws {
        let external = """
            <?xml version="1.0"?>
            <!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <d>&secret;</d>
            """
        #expect(throws: SafeXMLParser.Failure.self) { try SafeXMLParser.parse(Array(external.utf8)) }
        // Without a DTD an entity reference is simply undefined.
        do {
            _ = try SafeXMLParser.parse(Array("<d>&secret;</d>".utf8))
            Issue.record("an undefined entity was accepted")
        } catch {
            #expect(error.reason.contains("&secret; is not defined"))
        }
    }

    @Test func theDocumentSizeIsCapped() {
        var limits = SafeXMLParser.Limits()
        limits.maximumBytes = 1000
        let large = "<d>" + String(repeating: "x", count: 2000) + "</d>"
        #expect(throws: SafeXMLParser.Failure.self) { try SafeXMLParser.parse(Array(large.utf8), limits: limits) }
        #expect(throws: Never.self) { try SafeXMLParser.parse(Array("<d>ok</d>".utf8), limits: limits) }
    }

    @Test func deepNestingIsCapped() {
        var limits = SafeXMLParser.Limits()
        limits.maximumDepth = 50
        let deep = String(repeating: "<a>", count: 60) + String(repeating: "</a>", count: 60)
        #expect(throws: SafeXMLParser.Failure.self) { try SafeXMLParser.parse(Array(deep.utf8), limits: limits) }
    }

    @Test func namesAreResolvedToNamespacesNotPrefixes() throws {
        let xml = """
            <m:definitions xmlns:m="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:z="http://camunda.org/schema/zeebe/1.0">
              <m:process id="p" z:versionTag="v1"><m:documentation><![CDATA[a < b & c]]> &amp; &#x41;&#66;</m:documentation></m:process>
            </m:definitions>
            """
        let root = try SafeXMLParser.parse(Array(xml.utf8))
        #expect(root.namespace == "http://www.omg.org/spec/BPMN/20100524/MODEL")
        #expect(root.name == "definitions")
        let process = try #require(root.child("process", in: "http://www.omg.org/spec/BPMN/20100524/MODEL"))
        #expect(process["id"] == "p")
        #expect(process.attribute("versionTag", in: "http://camunda.org/schema/zeebe/1.0") == "v1")
        #expect(process.children.first?.text == "a < b & c & AB")
    }

    @Test func malformedDocumentsNameTheLine() {
        for (xml, reason) in [
            ("<a>\n<b></a>", "</a> closes <b>"), ("<a x=1/>", "not quoted"), ("<a><b/>", "is not closed"),
            ("<p:a/>", "prefix p"), ("<a/><b/>", "a second root element"), ("<a x='1' x='2'/>", "appears twice"),
        ] {
            do {
                _ = try SafeXMLParser.parse(Array(xml.utf8))
                Issue.record("\(xml) was accepted")
            } catch {
                #expect(error.reason.contains(reason), "\(xml): \(error)")
            }
        }
    }
}
