import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites the class files of a jar that are older than Java 6 (class-file version 49 and below) as Java 8 class
 * files with stack map frames, in place. Run at package time on the shaded jars (see the modules' pom.xml):
 *
 * <pre>java -cp asm.jar build-tools/RaiseClassVersion.java JAR</pre>
 *
 * Why: the JVM's class-data sharing (bin/class-archive.sh) cannot archive a class file older than Java 6, so every
 * start parsed and verified picocli's 228 classes (compiled for Java 5) anew, with the old type-inferring verifier.
 * The bytecode is unchanged; only the version and the frames the newer verifier reads are added.
 */
public final class RaiseClassVersion {
    private static final int OLDEST_ARCHIVABLE = Opcodes.V1_6;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RaiseClassVersion JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".raising");
        int raised = 0;
        try (JarFile in = new JarFile(jar.toFile());
             URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             OutputStream file = Files.newOutputStream(rewritten);
             JarOutputStream out = new JarOutputStream(file)) {
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream stream = in.getInputStream(entry)) {
                    bytes = stream.readAllBytes();
                }
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")
                        && majorVersion(bytes) < OLDEST_ARCHIVABLE) {
                    bytes = raise(bytes, classes);
                    raised++;
                }
                JarEntry copy = new JarEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("RaiseClassVersion: " + raised + " class files of " + jar.getFileName()
                + " raised to Java 8, so class-data sharing archives them");
    }

    private static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] raise(byte[] classFile, ClassLoader classes) {
        ClassReader reader = new ClassReader(classFile);
        // frames need the common superclass of two types: look it up among the jar's classes and the JDK's
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return classes;
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
