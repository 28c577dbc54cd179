import BPMN
import Foundation
import Testing

/// The diagram the cartable shows: every element where the modeller drew it, the steps an
/// instance finished and the one it is at marked, names escaped.
@Suite struct DiagramSVGTests {
    static let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
          xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d">
          <process id="p" name="Meter &amp; seal check" isExecutable="true">
            <startEvent id="s" name="Requested"/>
            <userTask id="inspect" name="Inspect the meter &lt;on site&gt;"/>
            <exclusiveGateway id="ok" name="Sealed?" default="no"/>
            <endEvent id="e"/>
            <endEvent id="broken" name="Seal broken"/>
            <sequenceFlow id="f1" sourceRef="s" targetRef="inspect"/>
            <sequenceFlow id="f2" sourceRef="inspect" targetRef="ok"/>
            <sequenceFlow id="yes" name="Yes" sourceRef="ok" targetRef="e"><conditionExpression>=sealed</conditionExpression></sequenceFlow>
            <sequenceFlow id="no" sourceRef="ok" targetRef="broken"/>
          </process>
          <bpmndi:BPMNDiagram><bpmndi:BPMNPlane bpmnElement="p">
            <bpmndi:BPMNShape bpmnElement="s"><dc:Bounds x="100" y="100" width="36" height="36"/></bpmndi:BPMNShape>
            <bpmndi:BPMNShape bpmnElement="inspect"><dc:Bounds x="200" y="78" width="100" height="80"/></bpmndi:BPMNShape>
            <bpmndi:BPMNShape bpmnElement="ok"><dc:Bounds x="350" y="93" width="50" height="50"/></bpmndi:BPMNShape>
            <bpmndi:BPMNShape bpmnElement="e"><dc:Bounds x="450" y="100" width="36" height="36"/></bpmndi:BPMNShape>
            <bpmndi:BPMNShape bpmnElement="broken"><dc:Bounds x="357" y="200" width="36" height="36"/>
              <bpmndi:BPMNLabel><dc:Bounds x="340" y="240" width="70" height="30"/></bpmndi:BPMNLabel></bpmndi:BPMNShape>
            <bpmndi:BPMNEdge bpmnElement="f1"><di:waypoint x="136" y="118"/><di:waypoint x="200" y="118"/></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge bpmnElement="f2"><di:waypoint x="300" y="118"/><di:waypoint x="350" y="118"/></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge bpmnElement="yes"><di:waypoint x="400" y="118"/><di:waypoint x="450" y="118"/>
              <bpmndi:BPMNLabel><dc:Bounds x="410" y="100" width="20" height="14"/></bpmndi:BPMNLabel></bpmndi:BPMNEdge>
            <bpmndi:BPMNEdge bpmnElement="no"><di:waypoint x="375" y="143"/><di:waypoint x="375" y="200"/></bpmndi:BPMNEdge>
          </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
        </definitions>
        """

    @Test func drawsEachElementAndMarksWhereTheInstanceIs() throws {
        let definitions = try BPMNReader.read(Self.xml)
        let svg = try #require(DiagramSVG.render(
            definitions, process: definitions.processes[0], marks: .init(finished: ["s", "f1"], current: ["inspect"])))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        // The drawing spans every shape and label, with a margin.
        #expect(svg.contains("viewBox=\"90 68 406 212\""))
        #expect(svg.contains("<g class=\"node startEvent finished\" data-element=\"s\">"))
        #expect(svg.contains("<g class=\"node userTask current\" data-element=\"inspect\">"))
        #expect(svg.contains("<g class=\"node exclusiveGateway\" data-element=\"ok\">"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)
        #expect(svg.contains("<polyline class=\"flow finished\" points=\"136,118 200,118\""))
        #expect(svg.contains(">Yes</text>"))
        // Names are text, never markup.
        #expect(svg.contains("aria-label=\"Meter &amp; seal check\""))
        #expect(svg.contains("&lt;on") && !svg.contains("<on site>"))
        // A label is wrapped to the width of its box (70 units: ten characters a line).
        #expect(svg.contains(">Seal</text>") && svg.contains(">broken</text>"))
    }

    @Test func aModelWithoutADiagramDrawsNothing() throws {
        let definitions = try BPMNReader.read("""
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><process id="p" isExecutable="true">
            <startEvent id="s"/><endEvent id="e"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/></process></definitions>
            """)
        #expect(DiagramSVG.render(definitions, process: definitions.processes[0]) == nil)
    }
}
