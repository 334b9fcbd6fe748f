.class final Lcom/google/android/gms/tasks/zzw;
.super Lcom/google/android/gms/tasks/Task;
.source "com.google.android.gms:play-services-tasks@@18.0.2"


# instance fields
.field private final zza:Ljava/lang/Object;

.field private final zzb:Ljava/lang/Exception;


# direct methods
.method constructor <init>(Ljava/lang/Object;Ljava/lang/Exception;)V
    .registers 3

    invoke-direct {p0}, Lcom/google/android/gms/tasks/Task;-><init>()V

    iput-object p1, p0, Lcom/google/android/gms/tasks/zzw;->zza:Ljava/lang/Object;

    iput-object p2, p0, Lcom/google/android/gms/tasks/zzw;->zzb:Ljava/lang/Exception;

    return-void
.end method


# virtual methods
.method public final addOnFailureListener(Lcom/google/android/gms/tasks/OnFailureListener;)Lcom/google/android/gms/tasks/Task;
    .registers 3

    iget-object v0, p0, Lcom/google/android/gms/tasks/zzw;->zzb:Ljava/lang/Exception;

    if-eqz v0, :cond_0

    invoke-interface {p1, v0}, Lcom/google/android/gms/tasks/OnFailureListener;->onFailure(Ljava/lang/Exception;)V

    :cond_0
    return-object p0
.end method

.method public final addOnSuccessListener(Lcom/google/android/gms/tasks/OnSuccessListener;)Lcom/google/android/gms/tasks/Task;
    .registers 3

    iget-object v0, p0, Lcom/google/android/gms/tasks/zzw;->zzb:Ljava/lang/Exception;

    if-nez v0, :cond_0

    iget-object v0, p0, Lcom/google/android/gms/tasks/zzw;->zza:Ljava/lang/Object;

    invoke-interface {p1, v0}, Lcom/google/android/gms/tasks/OnSuccessListener;->onSuccess(Ljava/lang/Object;)V

    :cond_0
    return-object p0
.end method

.method public final getException()Ljava/lang/Exception;
    .registers 2

    iget-object v0, p0, Lcom/google/android/gms/tasks/zzw;->zzb:Ljava/lang/Exception;

    return-object v0
.end method

.method public final getResult()Ljava/lang/Object;
    .registers 3

    iget-object v0, p0, Lcom/google/android/gms/tasks/zzw;->zzb:Ljava/lang/Exception;

    if-nez v0, :cond_0

    iget-object v0, p0, Lcom/google/android/gms/tasks/zzw;->zza:Ljava/lang/Object;

    return-object v0

    :cond_0
    new-instance v1, Ljava/lang/IllegalStateException;

    invoke-direct {v1, v0}, Ljava/lang/IllegalStateException;-><init>(Ljava/lang/Throwable;)V

    throw v1
.end method

.method public final isComplete()Z
    .registers 2

    const/4 v0, 0x1

    return v0
.end method

.method public final isSuccessful()Z
    .registers 2

    iget-object v0, p0, Lcom/google/android/gms/tasks/zzw;->zzb:Ljava/lang/Exception;

    if-nez v0, :cond_0

    const/4 v0, 0x1

    return v0

    :cond_0
    const/4 v0, 0x0

    return v0
.end method
