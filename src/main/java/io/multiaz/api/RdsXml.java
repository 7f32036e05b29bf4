package io.multiaz.api;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Writes the RDS Query protocol's XML answers: {@code <{Action}Response>} holding
 * {@code <{Action}Result>} and {@code <ResponseMetadata><RequestId>}, and {@code <ErrorResponse>}
 * for an {@link ApiException}, all in the namespace {@value #NAMESPACE}. Results are written
 * through {@link Element}, whose {@code list} methods name the wrapper and the member the way the
 * service model does ({@code <DBClusters><DBCluster>…}).
 *
 * <p>Written with the JDK's {@link XMLStreamWriter} rather than Jackson's XML module: answers are
 * trees written once, top-down, whose element names and list shapes come from the service model,
 * not from Java classes; a streaming writer says that directly, where Jackson would need
 * annotated classes or wrapper configuration per list, and it adds no dependency. Element values
 * are escaped by the writer; characters XML 1.0 cannot carry (control characters) become U+FFFD.
 * Stateless; each call builds its own writer.
 */
public final class RdsXml {
    public static final String NAMESPACE = "http://rds.amazonaws.com/doc/2014-10-31/";
    public static final String CONTENT_TYPE = "text/xml;charset=UTF-8";

    /** Actions whose answer has no Result element (no {@code resultWrapper} in the service model). */
    public static final Set<String> ACTIONS_WITHOUT_RESULT = Set.of("AddRoleToDBCluster", "AddRoleToDBInstance",
            "AddTagsToResource", "DeleteDBClusterParameterGroup", "DeleteDBParameterGroup", "DeleteDBSecurityGroup",
            "DeleteDBSubnetGroup", "DeleteOptionGroup", "RemoveRoleFromDBCluster", "RemoveRoleFromDBInstance",
            "RemoveTagsFromResource");

    /** RDS's timestamp form, e.g. {@code 2024-01-31T23:59:59.123Z}. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private RdsXml() {
    }

    /** The answer to {@code action} with a Result element whose content {@code result} writes. */
    public static String success(String action, String requestId, Consumer<Element> result) {
        if (ACTIONS_WITHOUT_RESULT.contains(action)) {
            throw new IllegalArgumentException(action + " answers without a Result element: use success(action, requestId)");
        }
        Objects.requireNonNull(result, "result");
        return document(action + "Response", root -> {
            root.element(action + "Result", result);
            metadata(root, requestId);
        });
    }

    /** The answer to one of {@link #ACTIONS_WITHOUT_RESULT}: the request id alone. */
    public static String success(String action, String requestId) {
        if (!ACTIONS_WITHOUT_RESULT.contains(action)) {
            throw new IllegalArgumentException(action + " answers with a Result element: use success(action, requestId, result)");
        }
        return document(action + "Response", root -> metadata(root, requestId));
    }

    /** The {@code ErrorResponse} for {@code e}; send it with {@code e.httpStatus()}. */
    public static String error(ApiException e, String requestId) {
        return document("ErrorResponse", root -> {
            root.element("Error", error -> error
                    .text("Type", e.fault().type())
                    .text("Code", e.code())
                    .text("Message", e.getMessage()));
            root.text("RequestId", requestId);
        });
    }

    private static void metadata(Element root, String requestId) {
        root.element("ResponseMetadata", metadata -> metadata.text("RequestId", requestId));
    }

    private static String document(String rootName, Consumer<Element> body) {
        StringWriter out = new StringWriter();
        try {
            // a factory per document: XMLOutputFactory promises no thread safety, and the default one is cheap
            XMLStreamWriter writer = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
            writer.writeStartElement(rootName);
            writer.writeDefaultNamespace(NAMESPACE);
            body.accept(new Element(writer));
            writer.writeEndElement();
            writer.writeEndDocument();
            writer.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the " + rootName + " document: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /**
     * The content of one element being written. Each method appends a child and returns this
     * element; {@code null} values are omitted, as RDS omits absent members. Valid only inside
     * the callback it was passed to.
     */
    public static final class Element {
        private final XMLStreamWriter writer;

        private Element(XMLStreamWriter writer) {
            this.writer = writer;
        }

        /** {@code <name>value</name>}; nothing when {@code value} is null. */
        public Element text(String name, String value) {
            if (value != null) {
                write(() -> {
                    writer.writeStartElement(name);
                    writer.writeCharacters(xmlSafe(value));
                    writer.writeEndElement();
                });
            }
            return this;
        }

        /** {@code <name>42</name>}; nothing when {@code value} is null. */
        public Element number(String name, Number value) {
            return text(name, value == null ? null : value.toString());
        }

        /** {@code <name>true</name>}; nothing when {@code value} is null. */
        public Element bool(String name, Boolean value) {
            return text(name, value == null ? null : value.toString());
        }

        /** {@code <name>2024-01-31T23:59:59.123Z</name>}; nothing when {@code value} is null. */
        public Element time(String name, Instant value) {
            return text(name, value == null ? null : TIME.format(value));
        }

        /** {@code <name>…</name>} with the content {@code body} writes; nothing when {@code body} is null. */
        public Element element(String name, Consumer<Element> body) {
            if (body == null) {
                return this;
            }
            write(() -> {
                writer.writeStartElement(name);
                body.accept(this);
                writer.writeEndElement();
            });
            return this;
        }

        /**
         * {@code <name><member>…</member>…</name>}, one member per item, its content written by
         * {@code member}; an empty wrapper for no items, as RDS answers an empty list.
         */
        public <T> Element list(String name, String memberName, Iterable<? extends T> items,
                                BiConsumer<Element, ? super T> member) {
            return element(name, list -> {
                for (T item : items) {
                    list.element(memberName, m -> member.accept(m, item));
                }
            });
        }

        /** {@code <name><member>value</member>…</name>}, e.g. {@code <AvailabilityZones><AvailabilityZone>}. */
        public Element strings(String name, String memberName, Iterable<String> values) {
            return element(name, list -> values.forEach(value -> list.text(memberName, value)));
        }

        private void write(XmlWrite action) {
            try {
                action.run();
            } catch (XMLStreamException e) {
                throw new IllegalStateException("cannot write XML: " + e.getMessage(), e);
            }
        }
    }

    @FunctionalInterface
    private interface XmlWrite {
        void run() throws XMLStreamException;
    }

    /** Replaces the characters XML 1.0 cannot represent at all (and lone surrogates) with U+FFFD. */
    static String xmlSafe(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean changed = false;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            boolean legal = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
            if (legal) {
                out.appendCodePoint(cp);
            } else {
                out.append('\uFFFD');
                changed = true;
            }
            i += Character.charCount(cp);
        }
        return changed ? out.toString() : value;
    }
}
