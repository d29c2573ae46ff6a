build-prof/src/etl/reader.o: src/etl/reader.c src/etl/reader.h \
 src/core/error.h src/core/buf.h src/core/utf8.h
src/etl/reader.h:
src/core/error.h:
src/core/buf.h:
src/core/utf8.h:
