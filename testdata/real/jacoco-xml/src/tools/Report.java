import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;

import org.jacoco.core.analysis.Analyzer;
import org.jacoco.core.analysis.CoverageBuilder;
import org.jacoco.core.analysis.IBundleCoverage;
import org.jacoco.core.tools.ExecFileLoader;
import org.jacoco.report.DirectorySourceFileLocator;
import org.jacoco.report.FileMultiReportOutput;
import org.jacoco.report.IReportVisitor;
import org.jacoco.report.csv.CSVFormatter;
import org.jacoco.report.html.HTMLFormatter;
import org.jacoco.report.xml.XMLFormatter;

/**
 * What "jacoco-cli report EXEC --classfiles C --sourcefiles S --xml X --csv Y --html H --name N" does, through the
 * same org.jacoco.report API (Debian's libjacoco-java ships no CLI jar). Usage: Report exec classes sources xml csv html
 */
public class Report {
    public static void main(String[] a) throws IOException {
        ExecFileLoader loader = new ExecFileLoader();
        loader.load(new File(a[0]));
        CoverageBuilder builder = new CoverageBuilder();
        new Analyzer(loader.getExecutionDataStore(), builder).analyzeAll(new File(a[1]));
        IBundleCoverage bundle = builder.getBundle("jacoco-xml sample");
        DirectorySourceFileLocator locator = new DirectorySourceFileLocator(new File(a[2]), "UTF-8", 4);
        IReportVisitor[] visitors = {
            new XMLFormatter().createVisitor(new FileOutputStream(a[3])),
            new CSVFormatter().createVisitor(new FileOutputStream(a[4])),
            new HTMLFormatter().createVisitor(new FileMultiReportOutput(new File(a[5]))),
        };
        for (IReportVisitor v : visitors) {
            v.visitInfo(loader.getSessionInfoStore().getInfos(), loader.getExecutionDataStore().getContents());
            v.visitBundle(bundle, locator);
            v.visitEnd();
        }
    }
}
