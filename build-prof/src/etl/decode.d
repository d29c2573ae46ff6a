build-prof/src/etl/decode.o: src/etl/decode.c src/core/ebcdic.h \
 src/core/error.h src/core/json.h src/core/buf.h src/core/utf8.h \
 src/etl/cleanse.h src/etl/convert.h src/core/rtime.h src/etl/copybook.h \
 src/etl/spec.h src/etl/reader.h src/warehouse/warehouse.h \
 src/core/seal.h src/store/store.h
src/core/ebcdic.h:
src/core/error.h:
src/core/json.h:
src/core/buf.h:
src/core/utf8.h:
src/etl/cleanse.h:
src/etl/convert.h:
src/core/rtime.h:
src/etl/copybook.h:
src/etl/spec.h:
src/etl/reader.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
