build-prof/src/api/server.o: src/api/server.c src/api/c360doc.h \
 src/core/error.h src/warehouse/warehouse.h src/core/seal.h \
 src/store/store.h src/api/internal.h src/api/api.h \
 src/security/security.h src/core/json.h src/core/buf.h src/core/log.h \
 src/core/rtime.h src/security/journal.h
src/api/c360doc.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/api/internal.h:
src/api/api.h:
src/security/security.h:
src/core/json.h:
src/core/buf.h:
src/core/log.h:
src/core/rtime.h:
src/security/journal.h:
