package io.multiaz.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

final class RdsXmlTest {
    private static final String NS = "http://rds.amazonaws.com/doc/2014-10-31/";
    private static final String REQUEST_ID = "5f1c3e1e-8a53-4c2b-9f0a-0c6f1f1d2b3a";
    private static final Path RDS_MODEL = Path.of("/usr/lib/python3/dist-packages/awscli/botocore/data/rds/2014-10-31/service-2.json");

    record Member(String id, boolean writer) {
    }

    @Test
    void success_describeDBClusters_parsesBackWithNamespaceListsAndRequestId() throws Exception {
        String xml = RdsXml.success("DescribeDBClusters", REQUEST_ID, result -> result
                .list("DBClusters", "DBCluster", List.of("demo"), (cluster, id) -> cluster
                        .text("DBClusterIdentifier", id)
                        .text("Status", "available")
                        .bool("MultiAZ", true)
                        .number("Port", 5432)
                        .text("ReaderEndpoint", null)
                        .time("ClusterCreateTime", Instant.parse("2025-03-01T12:00:00.5Z"))
                        .strings("AvailabilityZones", "AvailabilityZone", List.of("az-a", "az-b", "az-c"))
                        .list("DBClusterMembers", "DBClusterMember",
                                List.of(new Member("demo-1", true), new Member("demo-2", false)),
                                (m, member) -> m.text("DBInstanceIdentifier", member.id())
                                        .bool("IsClusterWriter", member.writer()))
                        .list("TagList", "Tag", List.<Map.Entry<String, String>>of(), (t, tag) -> t.text("Key", tag.getKey()))));

        Element root = parse(xml);

        assertThat(root.getLocalName()).isEqualTo("DescribeDBClustersResponse");
        assertThat(root.getNamespaceURI()).isEqualTo(NS);
        Element cluster = path(root, "DescribeDBClustersResult", "DBClusters", "DBCluster");
        assertThat(cluster.getNamespaceURI()).isEqualTo(NS);
        assertThat(text(cluster, "DBClusterIdentifier")).isEqualTo("demo");
        assertThat(text(cluster, "MultiAZ")).isEqualTo("true");
        assertThat(text(cluster, "Port")).isEqualTo("5432");
        assertThat(text(cluster, "ClusterCreateTime")).isEqualTo("2025-03-01T12:00:00.500Z");
        assertThat(children(cluster, "ReaderEndpoint")).isEmpty();
        assertThat(children(path(cluster, "AvailabilityZones"), "AvailabilityZone"))
                .extracting(Node::getTextContent).containsExactly("az-a", "az-b", "az-c");
        List<Element> members = children(path(cluster, "DBClusterMembers"), "DBClusterMember");
        assertThat(members).extracting(m -> text(m, "DBInstanceIdentifier")).containsExactly("demo-1", "demo-2");
        assertThat(members).extracting(m -> text(m, "IsClusterWriter")).containsExactly("true", "false");
        assertThat(children(path(cluster, "TagList"), "Tag")).isEmpty();
        assertThat(text(path(root, "ResponseMetadata"), "RequestId")).isEqualTo(REQUEST_ID);
    }

    @Test
    void success_actionWithoutResultWrapper_hasRequestIdOnly() throws Exception {
        Element root = parse(RdsXml.success("AddTagsToResource", REQUEST_ID));

        assertThat(root.getLocalName()).isEqualTo("AddTagsToResourceResponse");
        assertThat(root.getNamespaceURI()).isEqualTo(NS);
        assertThat(childElements(root)).extracting(Element::getLocalName).containsExactly("ResponseMetadata");
        assertThat(text(path(root, "ResponseMetadata"), "RequestId")).isEqualTo(REQUEST_ID);
    }

    @Test
    void success_wrongFormForAction_refused() {
        assertThatThrownBy(() -> RdsXml.success("AddTagsToResource", REQUEST_ID, r -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdsXml.success("DescribeDBClusters", REQUEST_ID))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void error_signatureMismatch_parsesBackToErrorResponse() throws Exception {
        ApiException e = new ApiException(RdsFault.SIGNATURE_DOES_NOT_MATCH, "does not match <'POST\n/'> & more");

        Element root = parse(RdsXml.error(e, REQUEST_ID));

        assertThat(root.getLocalName()).isEqualTo("ErrorResponse");
        assertThat(root.getNamespaceURI()).isEqualTo(NS);
        Element error = path(root, "Error");
        assertThat(text(error, "Type")).isEqualTo("Sender");
        assertThat(text(error, "Code")).isEqualTo("SignatureDoesNotMatch");
        assertThat(text(error, "Message")).isEqualTo("does not match <'POST\n/'> & more");
        assertThat(text(root, "RequestId")).isEqualTo(REQUEST_ID);
    }

    @Test
    void error_serviceFault_isReceiver() throws Exception {
        Element root = parse(RdsXml.error(new ApiException(RdsFault.INTERNAL_FAILURE, "try again"), REQUEST_ID));

        assertThat(text(path(root, "Error"), "Type")).isEqualTo("Receiver");
    }

    @Test
    void text_controlCharacters_replacedSoTheDocumentParses() throws Exception {
        String xml = RdsXml.success("DescribeDBClusters", REQUEST_ID, r -> r.text("Marker", "a\u0000b\u001Fc😀"));

        assertThat(text(path(parse(xml), "DescribeDBClustersResult"), "Marker")).isEqualTo("a\uFFFDb\uFFFDc😀");
    }

    @Test
    void actionsWithoutResult_matchTheServiceModel() throws Exception {
        assumeTrue(Files.exists(RDS_MODEL), "the AWS CLI's RDS service model is not installed");
        JsonNode operations = new ObjectMapper().readTree(RDS_MODEL.toFile()).get("operations");
        Set<String> withoutResult = new HashSet<>();
        operations.fields().forEachRemaining(op -> {
            if (!op.getValue().path("output").has("resultWrapper")) {
                withoutResult.add(op.getKey());
            }
        });

        assertThat(RdsXml.ACTIONS_WITHOUT_RESULT).containsExactlyInAnyOrderElementsOf(withoutResult);
    }

    private static Element parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        return document.getDocumentElement();
    }

    private static Element path(Element from, String... names) {
        Element current = from;
        for (String name : names) {
            List<Element> matches = children(current, name);
            assertThat(matches).as("<%s> under <%s>", name, current.getLocalName()).hasSize(1);
            current = matches.get(0);
        }
        return current;
    }

    private static String text(Element parent, String name) {
        return path(parent, name).getTextContent();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> matches = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS(NS, name);
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getParentNode() == parent) {
                matches.add((Element) nodes.item(i));
            }
        }
        return matches;
    }

    private static List<Element> childElements(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }
}
