import java.io.File;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Prints one line "N passed, N failed, N skipped" counted from Surefire's reports (the TEST-*.xml files of the
 * directory given, default target/surefire-reports), one count per {@code <testcase>}: failed if it holds a
 * {@code <failure>} or {@code <error>}, skipped if it holds a {@code <skipped>}, else passed. The
 * {@code <testsuite>} totals are not used: Surefire writes tests="0" for a JUnit {@code @ParameterizedClass}.
 * Exits 1 if a test failed, 2 if a report cannot be read, else 0. Run by scripts/test-summary.sh as a
 * single-file program ({@code java scripts/TestSummary.java DIR}).
 */
public class TestSummary {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/surefire-reports");
        List<Path> reports = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "TEST-*.xml")) {
                for (Path p : ds) reports.add(p);
            }
        }
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder b = f.newDocumentBuilder();
        long passed = 0, failed = 0, skipped = 0;
        int unreadable = 0;
        for (Path p : reports) {
            NodeList cases;
            try {
                cases = b.parse(new File(p.toString())).getElementsByTagName("testcase");
            } catch (Exception e) {
                System.err.println("test-summary: warning: cannot read " + p + ": " + e.getMessage());
                unreadable++;
                continue;
            }
            for (int i = 0; i < cases.getLength(); i++) {
                String outcome = "passed";
                for (Node c = cases.item(i).getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (!(c instanceof Element e)) continue;
                    String t = e.getTagName();
                    if (t.equals("failure") || t.equals("error")) outcome = "failed";
                    else if (t.equals("skipped") && outcome.equals("passed")) outcome = "skipped";
                }
                switch (outcome) {
                    case "failed" -> failed++;
                    case "skipped" -> skipped++;
                    default -> passed++;
                }
            }
        }
        System.out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        System.exit(failed > 0 ? 1 : unreadable > 0 ? 2 : 0);
    }
}
