build-prof/src/analytics/facts.o: src/analytics/facts.c \
 src/analytics/facts.h src/core/error.h src/store/store.h \
 src/analytics/base.h src/core/progress.h src/core/rtime.h \
 src/core/sort.h
src/analytics/facts.h:
src/core/error.h:
src/store/store.h:
src/analytics/base.h:
src/core/progress.h:
src/core/rtime.h:
src/core/sort.h:
