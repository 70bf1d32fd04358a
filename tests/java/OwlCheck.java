import java.io.File;
import java.util.List;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.OWLParserFactory;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;
import org.semanticweb.owlapi.util.AutoIRIMapper;

/** Load an ontology file with the OWL API (as Protégé does) and report OWL 2 DL profile violations and unparsed triples. */
public class OwlCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        File file = new File(args[0]);
        manager.getIRIMappers().add(new AutoIRIMapper(file.getAbsoluteFile().getParentFile(), false));
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(file);
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        int unparsed = 0;
        if (format.getOntologyLoaderMetaData().isPresent()) {
            unparsed = (int) format.getOntologyLoaderMetaData().get().getUnparsedTriples().count();
            format.getOntologyLoaderMetaData().get().getUnparsedTriples().limit(10).forEach(t -> System.out.println("UNPARSED " + t));
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        List<OWLProfileViolation> violations = report.getViolations();
        for (int i = 0; i < Math.min(10, violations.size()); i++) System.out.println("VIOLATION " + violations.get(i));
        System.out.println("axioms=" + ontology.getAxiomCount() + " violations=" + violations.size() + " unparsed=" + unparsed);
    }
}
