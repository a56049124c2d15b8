#!/bin/sh
# Run from a copy of src/ (see ../regenerate.sh); writes the outputs into "$OUT".
# Needs a JDK (OpenJDK 17.0.15 here) and JaCoCo 0.8.6 (Debian bookworm: default-jdk, libjacoco-java, libasm-java).
set -eu
J=${JACOCO_JARS:-/usr/share/java}
CP="$J/org.jacoco.core.jar:$J/org.jacoco.report.jar:$J/asm.jar:$J/asm-commons.jar:$J/asm-tree.jar"
mkdir -p build/classes build/tools
# JaCoCo 0.8.6 reads class files up to Java 15: compile the application for Java 11.
javac --release 11 -g -d build/classes app/*.java
javac -cp "$CP" -d build/tools tools/Report.java
unzip -o -q "$J/org.jacoco.agent.jar" jacocoagent.jar -d build
java -javaagent:build/jacocoagent.jar=destfile=build/jacoco.exec -cp build/classes app.Main > "$OUT/stdout.txt"
java -cp "$CP:build/tools" Report build/jacoco.exec build/classes . jacoco.xml jacoco.csv build/html
mv jacoco.xml jacoco.csv "$OUT/"
cp build/html/index.html "$OUT/jacoco-index.html"
ls "$J"/org.jacoco.core-*.jar | sed 's/.*org.jacoco.core-//; s/\.jar$//' > "$OUT/jacoco-version.txt"
java -version 2>&1 | head -1 > "$OUT/java-version.txt"
rm -rf build
