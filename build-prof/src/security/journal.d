build-prof/src/security/journal.o: src/security/journal.c \
 src/security/journal.h src/core/error.h src/security/security.h \
 src/store/store.h src/core/log.h src/core/rtime.h src/core/utf8.h
src/security/journal.h:
src/core/error.h:
src/security/security.h:
src/store/store.h:
src/core/log.h:
src/core/rtime.h:
src/core/utf8.h:
