.class public interface abstract Lorg/hypercompat/shim/gms/tasks/OnFailureListener;
.super Ljava/lang/Object;
.source "OnFailureListener.smali"

# Portable stand-in for com.google.android.gms.tasks.OnFailureListener.

.method public abstract onFailure(Ljava/lang/Exception;)V
.end method
